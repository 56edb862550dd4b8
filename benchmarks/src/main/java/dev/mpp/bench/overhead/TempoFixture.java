package dev.mpp.bench.overhead;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.ledger.jdbc.SqliteLedgerStore;
import dev.mpp.rail.tempo.TempoChargeRail;
import dev.mpp.rail.tempo.TempoConfig;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.price.Prices;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * What the client-overhead benchmark pays: a {@code tempo}/{@code charge} challenge shaped like the
 * reference server's {@code /tempo/charge} (0.01 pathUSD, pull mode, not sponsored), a wallet whose
 * Tempo rail has fixed gas and fees (so it never calls a node), and an agent policy with a
 * per-payment maximum and a daily cap (so every reservation checks a window).
 */
public final class TempoFixture {
  static final String AGENT = "bench";
  static final long CHAIN_ID = TempoConfig.MAINNET;
  static final String RECIPIENT = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
  static final URI URL = URI.create("https://api.example.com/tempo/charge");

  /** Anvil dev account 0: a well-known public test key, never real money. */
  static final String KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

  /** How many distinct challenges the benchmarks cycle through (distinct ids: distinct hashes). */
  static final int CHALLENGES = 4096;

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** Far enough apart that a benchmark run never sees one expire. */
  private static final Instant EXPIRES = Instant.now().plus(6, ChronoUnit.HOURS);

  private TempoFixture() {}

  /** The ledger stores compared. */
  static LedgerStore openStore(String kind, Path dir) {
    return switch (kind) {
      case "memory" -> new InMemoryLedgerStore();
      // The durable default: synchronous=FULL, every commit fsynced before reserve returns.
      case "sqlite" -> SqliteLedgerStore.open(dir.resolve("ledger.db"));
      default -> throw new IllegalArgumentException("unknown store " + kind);
    };
  }

  static PrivateKeySigner signer() {
    return PrivateKeySigner.of(KEY.toCharArray());
  }

  static Policy policy() {
    return Policy.builder().maxPerPayment("1.00").cap(Window.DAY, "1000000").build();
  }

  /** A wallet paying this fixture's challenges from {@code store}, as an agent would set it up. */
  public static Wallet wallet(LedgerStore store) {
    TempoChargeRail tempo =
        TempoChargeRail.builder(
                TempoConfig.builder(CHAIN_ID)
                    .asset(EvmAddress.parse(Prices.PATH_USD))
                    .gasLimit(100_000)
                    .maxFeePerGas(BigInteger.valueOf(20_000_000_000L))
                    .maxPriorityFeePerGas(BigInteger.ONE)
                    .build(),
                signer())
            .build();
    return Wallet.builder().ledger(store).rail(tempo).agent(AGENT, policy()).build();
  }

  static PaymentContext context() {
    return PaymentContext.of(URL, "GET", AGENT);
  }

  /** {@link #CHALLENGES} distinct {@code WWW-Authenticate} values, as the server would send. */
  static String[] challengeHeaders(long seed) {
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    request.put("amount", "10000");
    request.put("currency", Prices.PATH_USD);
    request.putObject("methodDetails").put("chainId", CHAIN_ID);
    request.put("recipient", RECIPIENT);
    String raw = PaymentRequest.of(request).raw();
    Random random = new Random(seed);
    String[] headers = new String[CHALLENGES];
    byte[] id = new byte[32];
    for (int i = 0; i < CHALLENGES; i++) {
      random.nextBytes(id);
      headers[i] =
          Challenge.builder()
              .id(B64.encodeToString(id))
              .realm("mpp-local")
              .method("tempo")
              .intent("charge")
              .request(raw)
              .description("tempo charge")
              .expires(EXPIRES)
              .build()
              .toHeaderValue();
    }
    return headers;
  }

  /** A receipt as the server returns it with the 200. */
  static String receiptHeader() {
    String json =
        "{\"method\":\"tempo\",\"status\":\"success\",\"timestamp\":\""
            + Instant.now().truncatedTo(ChronoUnit.MILLIS)
            + "\",\"reference\":\"0x7298d5990d5c1d1f0ec36ad3a1b4dfe4b0bbac07d2b8e6e1b2d6d3b0ac9fb5e5\"}";
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The limits the wallet's policy puts on one payment of this fixture, as of {@code now}. */
  static List<Limit> limits(Instant now) {
    return policy()
        .limits(Limit.Scope.agent(AGENT), now, Asset.keyOf("tempo", Prices.PATH_USD, CHAIN_ID));
  }

  /** A reservation shaped like the wallet's for this fixture's payment. */
  static PaymentRecord held(Instant now) {
    return new PaymentRecord(
        UUID.randomUUID().toString(),
        AGENT,
        null,
        now,
        now,
        "https://api.example.com/tempo/charge",
        "https://api.example.com",
        "mpp-local",
        "tempo",
        "charge",
        "challenge-id",
        BigInteger.valueOf(10_000),
        Prices.PATH_USD,
        CHAIN_ID,
        6,
        10_000,
        2_000,
        PaymentState.HELD,
        null,
        null,
        "chose #1 tempo/charge (challenge challenge-id) via tempo: only payable offer",
        null);
  }
}
