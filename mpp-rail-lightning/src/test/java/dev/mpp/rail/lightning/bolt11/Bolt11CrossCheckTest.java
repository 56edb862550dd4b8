package dev.mpp.rail.lightning.bolt11;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our codec against a second implementation, npm {@code bolt11@1.4.1} (pinned in
 * examples/mpp-server): it decodes invoices our encoder mints, and we decode invoices it signs.
 * Fields compared: network, amount, timestamp, payment hash and secret, description or its hash,
 * expiry, CLTV delta, route hints, feature bits, payee key; and the signature verdict on tampered
 * invoices. Fallback addresses are not cross-checked (npm bolt11 encodes them from addresses).
 */
class Bolt11CrossCheckTest {
  private static final int COUNT = 220;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private static final Network[] NETWORKS = {Network.MAINNET, Network.REGTEST, Network.SIGNET};
  private static final Bolt11Decoder DECODER = Bolt11Decoder.standard();

  private static Path serverDir;

  @BeforeAll
  static void requireNode() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      Assumptions.assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "node failed");
    } catch (IOException | InterruptedException e) {
      Assumptions.abort("node is not installed: skipping the npm bolt11 cross-check");
    }
    serverDir = Path.of("..", "examples", "mpp-server").toAbsolutePath().normalize();
    assertThat(serverDir.resolve("node_modules/bolt11/package.json"))
        .as("npm bolt11 missing: run `npm ci --ignore-scripts` in examples/mpp-server")
        .exists();
  }

  @Test
  void npmBolt11DecodesWhatWeEncode() throws Exception {
    Random random = new Random(11);
    List<String> invoices = new ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      invoices.add(randomSpec(random).encodeWithUs());
    }
    List<String> tampered = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      tampered.add(tamperSignature(invoices.get(i), random));
    }
    ObjectNode request = JSON.createObjectNode();
    ArrayNode decode = request.putArray("decode");
    invoices.forEach(decode::add);
    tampered.forEach(decode::add);
    JsonNode decoded = runNode(request).get("decoded");

    for (int i = 0; i < COUNT; i++) {
      JsonNode theirs = decoded.get(i);
      assertThat(theirs.get("ok").asBoolean())
          .as("npm decodes %s: %s", invoices.get(i), theirs)
          .isTrue();
      assertSameFields(DECODER.decode(invoices.get(i)), theirs);
    }
    for (int i = 0; i < tampered.size(); i++) {
      assertSameVerdict(tampered.get(i), decoded.get(COUNT + i));
    }
  }

  @Test
  void weDecodeWhatNpmBolt11Signs() throws Exception {
    Random random = new Random(1111);
    List<Spec> specs = new ArrayList<>();
    ObjectNode request = JSON.createObjectNode();
    ArrayNode sign = request.putArray("sign");
    for (int i = 0; i < COUNT; i++) {
      Spec spec = randomSpec(random);
      specs.add(spec);
      sign.add(spec.toNodeRequest());
    }
    JsonNode signed = runNode(request).get("signed");
    for (int i = 0; i < COUNT; i++) {
      Bolt11Invoice ours = DECODER.decode(signed.get(i).asText());
      specs.get(i).assertMatches(ours);
    }
  }

  private static void assertSameFields(Bolt11Invoice ours, JsonNode theirs) {
    String context = ours.encoded();
    assertThat(theirs.get("payee").asText()).as(context).isEqualTo(ours.payee());
    assertThat(theirs.get("timestamp").asLong())
        .as(context)
        .isEqualTo(ours.timestamp().getEpochSecond());
    JsonNode msat = theirs.get("millisatoshis");
    if (ours.amountMsat().isPresent()) {
      assertThat(msat.asText()).as(context).isEqualTo(Long.toString(ours.amountMsat().getAsLong()));
    } else {
      assertThat(msat.isNull()).as(context).isTrue();
    }
    assertThat(theirs.get("paymentHash").asText()).isEqualTo(ours.paymentHash());
    assertThat(textOrNull(theirs.get("paymentSecret")))
        .isEqualTo(ours.paymentSecret().orElse(null));
    assertThat(textOrNull(theirs.get("description"))).isEqualTo(ours.description().orElse(null));
    assertThat(textOrNull(theirs.get("descriptionHash")))
        .isEqualTo(ours.descriptionHash().orElse(null));
    long expiry = theirs.get("expiry").isNull() ? 3600 : theirs.get("expiry").asLong();
    assertThat(expiry).as(context).isEqualTo(ours.expirySeconds());
    if (!theirs.get("cltv").isNull()) {
      assertThat(theirs.get("cltv").asLong()).as(context).isEqualTo(ours.minFinalCltvExpiry());
    }
    Set<Integer> theirFeatures = new TreeSet<>();
    theirs.get("features").forEach(b -> theirFeatures.add(b.asInt()));
    assertThat(theirFeatures).as(context).isEqualTo(ours.features().bits());
    assertThat(theirs.get("routes").size()).isEqualTo(ours.routes().size());
    for (int r = 0; r < ours.routes().size(); r++) {
      List<RouteHop> route = ours.routes().get(r);
      JsonNode theirRoute = theirs.get("routes").get(r);
      assertThat(theirRoute.size()).isEqualTo(route.size());
      for (int h = 0; h < route.size(); h++) {
        RouteHop hop = route.get(h);
        JsonNode t = theirRoute.get(h);
        assertThat(t.get("pubkey").asText()).isEqualTo(hop.pubkey());
        assertThat(t.get("short_channel_id").asText())
            .isEqualTo(String.format("%016x", hop.shortChannelId()));
        assertThat(t.get("fee_base_msat").asLong()).isEqualTo(hop.feeBaseMsat());
        assertThat(t.get("fee_proportional_millionths").asLong())
            .isEqualTo(hop.feeProportionalMillionths());
        assertThat(t.get("cltv_expiry_delta").asInt()).isEqualTo(hop.cltvExpiryDelta());
      }
    }
  }

  /** Same verdict: both reject, or both accept and recover the same (wrong) payee. */
  private static void assertSameVerdict(String invoice, JsonNode theirs) {
    Bolt11Invoice ours;
    try {
      ours = DECODER.decode(invoice);
    } catch (Bolt11Exception e) {
      assertThat(theirs.get("ok").asBoolean())
          .as("npm accepts what we reject: %s", invoice)
          .isFalse();
      return;
    }
    assertThat(theirs.get("ok").asBoolean()).as("npm rejects what we accept: %s", theirs).isTrue();
    assertThat(theirs.get("payee").asText()).isEqualTo(ours.payee());
  }

  private static String tamperSignature(String invoice, Random random) {
    Bech32.Decoded d = Bech32.decode(invoice);
    int[] data = d.data().clone();
    int at = data.length - 104 + random.nextInt(100);
    data[at] ^= 1 + random.nextInt(31);
    return Bech32.encode(d.hrp(), data);
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static JsonNode runNode(JsonNode request)
      throws IOException, InterruptedException, URISyntaxException {
    Path script = Path.of(Bolt11CrossCheckTest.class.getResource("/bolt11-crosscheck.mjs").toURI());
    Path err = Files.createTempFile("bolt11-crosscheck", ".err");
    Process p =
        new ProcessBuilder("node", script.toString(), serverDir.toString())
            .redirectError(err.toFile())
            .start();
    p.getOutputStream().write(JSON.writeValueAsBytes(request));
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(err)).isZero();
    Files.deleteIfExists(err);
    return JSON.readTree(new String(out, StandardCharsets.UTF_8));
  }

  private static Spec randomSpec(Random r) {
    BigInteger key = new BigInteger(250, r).add(BigInteger.ONE);
    Network network = NETWORKS[r.nextInt(NETWORKS.length)];
    Long amount =
        switch (r.nextInt(5)) {
          case 0 -> null;
          case 1 -> (long) (1 + r.nextInt(1000)) * 1000; // whole sats
          case 2 -> 1 + (long) r.nextInt(Integer.MAX_VALUE); // any msat
          case 3 -> (long) (1 + r.nextInt(500)) * 100_000_000L; // whole mBTC
          default -> (long) (1 + r.nextInt(9)) * 100_000_000_000L; // whole BTC
        };
    byte[] hash = new byte[32];
    r.nextBytes(hash);
    String secret = null;
    if (r.nextBoolean()) {
      byte[] s = new byte[32];
      r.nextBytes(s);
      secret = HEX.formatHex(s);
    }
    String description = null;
    String descriptionHash = null;
    if (r.nextInt(4) == 0) {
      byte[] h = new byte[32];
      r.nextBytes(h);
      descriptionHash = HEX.formatHex(h);
    } else {
      String[] words = {"coffee", "API call", "ナンセンス", "1 杯", "GPU minute", "", "x"};
      description =
          words[r.nextInt(words.length)] + (r.nextBoolean() ? " #" + r.nextInt(1000) : "");
    }
    Long expiry = r.nextBoolean() ? (long) r.nextInt(40 * 86400) : null;
    Long cltv = r.nextBoolean() ? (long) (1 + r.nextInt(300)) : null;
    List<List<RouteHop>> routes = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      List<RouteHop> route = new ArrayList<>();
      for (int h = 1 + r.nextInt(3); h > 0; h--) {
        BigInteger hopKey = new BigInteger(250, r).add(BigInteger.ONE);
        route.add(
            new RouteHop(
                HEX.formatHex(Secp256k1Signatures.publicKey(hopKey)),
                r.nextLong() & Long.MAX_VALUE,
                r.nextInt(100_000),
                r.nextInt(1_000_000),
                r.nextInt(0x10000)));
      }
      routes.add(route);
    }
    Set<Integer> features = new TreeSet<>();
    if (secret != null) {
      features.add(r.nextBoolean() ? 14 : 15);
      if (r.nextBoolean()) {
        features.add(9);
      }
      if (r.nextBoolean()) {
        features.add(17);
      }
      if (r.nextBoolean()) {
        features.add(21 + 2 * r.nextInt(20)); // unknown odd bits are ignored, not refused
      }
    }
    Instant timestamp = Instant.ofEpochSecond(1_500_000_000L + r.nextInt(400_000_000));
    return new Spec(
        key,
        network,
        amount,
        timestamp,
        HEX.formatHex(hash),
        secret,
        description,
        descriptionHash,
        expiry,
        cltv,
        routes,
        features,
        r.nextBoolean());
  }

  private record Spec(
      BigInteger key,
      Network network,
      Long amountMsat,
      Instant timestamp,
      String paymentHash,
      String paymentSecret,
      String description,
      String descriptionHash,
      Long expiry,
      Long cltv,
      List<List<RouteHop>> routes,
      Set<Integer> features,
      boolean includePayee) {

    String encodeWithUs() {
      Bolt11Encoder e =
          Bolt11Encoder.builder().network(network).timestamp(timestamp).paymentHash(paymentHash);
      if (amountMsat != null) {
        e.amountMsat(amountMsat);
      }
      if (paymentSecret != null) {
        e.paymentSecret(paymentSecret);
      }
      if (description != null) {
        e.description(description);
      } else {
        e.descriptionHash(descriptionHash);
      }
      if (expiry != null) {
        e.expirySeconds(expiry);
      }
      if (cltv != null) {
        e.minFinalCltvExpiry(cltv);
      }
      routes.forEach(e::route);
      if (!features.isEmpty()) {
        e.features(new Features(features));
      }
      if (includePayee) {
        e.includePayee();
      }
      return e.sign(key);
    }

    ObjectNode toNodeRequest() {
      ObjectNode n = JSON.createObjectNode();
      n.put("network", network.prefix());
      n.put("timestamp", timestamp.getEpochSecond());
      n.put("paymentHash", paymentHash);
      n.put("privateKey", String.format("%064x", key));
      if (amountMsat != null) {
        n.put("millisatoshis", Long.toString(amountMsat));
      }
      if (paymentSecret != null) {
        n.put("paymentSecret", paymentSecret);
      }
      if (description != null) {
        n.put("description", description);
      } else {
        n.put("descriptionHash", descriptionHash);
      }
      if (expiry != null) {
        n.put("expiry", expiry);
      }
      if (cltv != null) {
        n.put("cltv", cltv);
      }
      ArrayNode rs = n.putArray("routes");
      for (List<RouteHop> route : routes) {
        ArrayNode hops = rs.addArray();
        for (RouteHop hop : route) {
          hops.addObject()
              .put("pubkey", hop.pubkey())
              .put("short_channel_id", String.format("%016x", hop.shortChannelId()))
              .put("fee_base_msat", hop.feeBaseMsat())
              .put("fee_proportional_millionths", hop.feeProportionalMillionths())
              .put("cltv_expiry_delta", hop.cltvExpiryDelta());
        }
      }
      ArrayNode fs = n.putArray("features");
      features.forEach(fs::add);
      if (includePayee) {
        n.put("payee", HEX.formatHex(Secp256k1Signatures.publicKey(key)));
      }
      return n;
    }

    void assertMatches(Bolt11Invoice ours) {
      assertThat(ours.network()).isEqualTo(network);
      assertThat(ours.amountMsat().isPresent()).isEqualTo(amountMsat != null);
      if (amountMsat != null) {
        assertThat(ours.amountMsat().getAsLong()).isEqualTo(amountMsat);
      }
      assertThat(ours.timestamp()).isEqualTo(timestamp);
      assertThat(ours.paymentHash()).isEqualTo(paymentHash);
      assertThat(ours.paymentSecret().orElse(null)).isEqualTo(paymentSecret);
      assertThat(ours.description().orElse(null)).isEqualTo(description);
      assertThat(ours.descriptionHash().orElse(null)).isEqualTo(descriptionHash);
      assertThat(ours.expirySeconds()).isEqualTo(expiry == null ? 3600 : expiry);
      assertThat(ours.minFinalCltvExpiry()).isEqualTo(cltv == null ? 18 : cltv);
      assertThat(ours.routes()).isEqualTo(routes);
      assertThat(ours.features().bits()).isEqualTo(features);
      assertThat(ours.payee()).isEqualTo(HEX.formatHex(Secp256k1Signatures.publicKey(key)));
    }
  }
}
