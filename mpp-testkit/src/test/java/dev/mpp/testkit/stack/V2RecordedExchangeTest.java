package dev.mpp.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.Receipt;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.rail.tempo.session.Bytes32;
import dev.mpp.rail.tempo.session.ChannelState;
import dev.mpp.rail.tempo.session.CloseResult;
import dev.mpp.rail.tempo.session.InMemoryChannelStore;
import dev.mpp.rail.tempo.session.SessionTransport;
import dev.mpp.rail.tempo.session.TempoSessionConfig;
import dev.mpp.rail.tempo.session.TempoSessionRail;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * v2 (TIP-1034) sessions against a recorded exchange: the 402 an {@code mppx@0.11.0} server sends
 * for a v2 session route ({@code v2-session.mjs challenge}, checked in as {@code
 * v2-challenge.txt}), and every credential our rail builds for it (open, vouchers, top-up, close)
 * checked by mppx 0.11.0's own server-side validation ({@code v2-session.mjs verify}): payload
 * shape, descriptor → channel id, the open and top-up transactions' calls and expiring-nonce hash,
 * and the voucher signatures. The local anvil has no TIP-1034 precompile, so there is no live v2
 * peer.
 */
class V2RecordedExchangeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final URI URL = URI.create("http://127.0.0.1:9/session");

  @Test
  void everyV2CredentialPassesTheReferenceValidation() throws Exception {
    Challenge challenge = recordedChallenge();
    assertThat(challenge.request().methodDetails().path("sessionProtocol").asText())
        .isEqualTo("v2");
    Clock clock = Clock.fixed(challenge.expires().orElseThrow().minusSeconds(120), ZoneOffset.UTC);
    RecordingTransport transport = new RecordingTransport(challenge);
    InMemoryLedgerStore ledger = new InMemoryLedgerStore();
    TempoSessionConfig config =
        TempoSessionConfig.builder(4217)
            .asset(EvmAddress.parse(LocalChain.PATH_USD))
            .maxDeposit(BigInteger.valueOf(2_000))
            .maxFeePerGas(BigInteger.valueOf(20_000_000_000L))
            .upfrontVouchers(false)
            .build();
    TempoSessionRail rail =
        TempoSessionRail.builder(
                config,
                PrivateKeySigner.of(DevAccount.get(1).privateKeyHex().toCharArray()),
                new InMemoryChannelStore())
            .transport(transport)
            .clock(clock)
            .ledger(ledger)
            .build();
    Wallet wallet =
        Wallet.builder()
            .ledger(ledger)
            .rail(rail)
            .clock(clock)
            .agent("v2-bot", Policy.unlimited())
            .build();

    List<String> credentials = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      PaymentAuthorization paid =
          wallet.authorize(PaymentContext.of(URL, "GET", "v2-bot"), List.of(challenge));
      credentials.addAll(transport.takePosted());
      credentials.add(paid.authorizationHeader());
      Bytes32 channelId = channelIdOf(paid.authorizationHeader());
      assertThat(paid.settle(200, receipt(challenge, channelId, 1_000L * i), null).state())
          .isEqualTo(PaymentState.PAID);
    }
    ChannelState channel = rail.store().list("v2-bot").get(0);
    assertThat(channel.deposit()).isEqualTo(BigInteger.valueOf(4_000));
    CloseResult closed = rail.close(channel.channelId());
    credentials.addAll(transport.takePosted());
    assertThat(closed.settled()).isEqualTo(BigInteger.valueOf(3_000));

    List<String> actions = new ArrayList<>();
    for (String credential : credentials) {
      actions.add(Credential.parse(credential).payload().path("action").asText());
    }
    assertThat(actions).containsExactly("open", "voucher", "topUp", "voucher", "close");
    JsonNode open = Credential.parse(credentials.get(0)).payload();
    assertThat(open.path("descriptor").path("payer").asText())
        .isEqualToIgnoringCase(DevAccount.get(1).address());
    assertThat(open.path("transaction").asText()).startsWith("0x76");

    List<JsonNode> verdicts = verify(credentials);
    assertThat(verdicts).hasSize(5);
    for (int i = 0; i < verdicts.size(); i++) {
      assertThat(verdicts.get(i).path("ok").asBoolean())
          .as("%s: %s", actions.get(i), verdicts.get(i))
          .isTrue();
      assertThat(verdicts.get(i).path("channelId").asText()).isEqualTo(channel.channelId().toHex());
    }
    wallet.close();
  }

  @Test
  void theReferenceValidationRejectsATamperedVoucher() throws Exception {
    Challenge challenge = recordedChallenge();
    Clock clock = Clock.fixed(challenge.expires().orElseThrow().minusSeconds(120), ZoneOffset.UTC);
    InMemoryLedgerStore ledger = new InMemoryLedgerStore();
    TempoSessionRail rail =
        TempoSessionRail.builder(
                TempoSessionConfig.builder(4217)
                    .asset(EvmAddress.parse(LocalChain.PATH_USD))
                    .maxFeePerGas(BigInteger.valueOf(20_000_000_000L))
                    .build(),
                PrivateKeySigner.of(DevAccount.get(1).privateKeyHex().toCharArray()),
                new InMemoryChannelStore())
            .transport(new RecordingTransport(challenge))
            .clock(clock)
            .ledger(ledger)
            .build();
    Wallet wallet =
        Wallet.builder()
            .ledger(ledger)
            .rail(rail)
            .clock(clock)
            .agent("v2-bot", Policy.unlimited())
            .build();
    String open =
        wallet
            .authorize(PaymentContext.of(URL, "GET", "v2-bot"), List.of(challenge))
            .authorizationHeader();
    Credential credential = Credential.parse(open);
    com.fasterxml.jackson.databind.node.ObjectNode payload = credential.payload();
    payload.put("cumulativeAmount", "999");
    String tampered = Credential.of(credential.challenge(), payload, null).toHeaderValue();

    List<JsonNode> verdicts = verify(List.of(open, tampered));

    assertThat(verdicts.get(0).path("ok").asBoolean()).as(verdicts.get(0).toString()).isTrue();
    assertThat(verdicts.get(1).path("ok").asBoolean()).isFalse();
    wallet.close();
  }

  private static Challenge recordedChallenge() throws Exception {
    try (InputStream in =
        V2RecordedExchangeTest.class.getResourceAsStream(
            "/dev/mpp/testkit/session/v2-challenge.txt")) {
      String header = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return Challenge.parseAll(List.of(header)).valid().get(0);
    }
  }

  private static Bytes32 channelIdOf(String header) {
    return Bytes32.parse(Credential.parse(header).payload().path("channelId").asText());
  }

  static Receipt receipt(Challenge challenge, Bytes32 channelId, long accepted) {
    String json =
        "{\"method\":\"tempo\",\"intent\":\"session\",\"status\":\"success\","
            + "\"timestamp\":\"2026-01-01T00:00:00Z\",\"reference\":\""
            + channelId.toHex()
            + "\",\"challengeId\":\""
            + challenge.id()
            + "\",\"channelId\":\""
            + channelId.toHex()
            + "\",\"acceptedCumulative\":\""
            + accepted
            + "\",\"spent\":\""
            + accepted
            + "\"}";
    return Receipt.parse(
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<JsonNode> verify(List<String> credentials) throws Exception {
    StackEnvironment env = StackEnvironment.detect();
    env.requireServerInstalled();
    Path input = Files.createTempFile(env.logDir(), "v2-credentials-", ".txt");
    Path output = Files.createTempFile(env.logDir(), "v2-verdicts-", ".txt");
    Files.write(input, credentials, StandardCharsets.UTF_8);
    Process process =
        new ProcessBuilder(
                env.nodeExecutable().toString(),
                env.serverDir().resolve("v2-session.mjs").toString(),
                "verify")
            .directory(env.serverDir().toFile())
            .redirectInput(input.toFile())
            .redirectOutput(output.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    List<JsonNode> verdicts = new ArrayList<>();
    for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
      if (line.startsWith("{")) {
        verdicts.add(JSON.readTree(line));
      }
    }
    return verdicts;
  }

  /**
   * Answers the rail's own requests like an mppx v2 server: a {@code HEAD} gets the recorded 402, a
   * {@code POST} (top-up, close) gets 204 with a session receipt; keeps what was posted.
   */
  private static final class RecordingTransport implements SessionTransport {
    private final Challenge challenge;
    private final List<String> posted = new ArrayList<>();

    RecordingTransport(Challenge challenge) {
      this.challenge = challenge;
    }

    synchronized List<String> takePosted() {
      List<String> copy = List.copyOf(posted);
      posted.clear();
      return copy;
    }

    @Override
    public synchronized Response send(String method, URI url, Map<String, String> headers) {
      if (!"POST".equals(method)) {
        return new Response(
            402, Map.of("www-authenticate", List.of(challenge.toHeaderValue())), new byte[0]);
      }
      String credential = headers.get("Authorization");
      posted.add(credential);
      JsonNode payload = Credential.parse(credential).payload();
      Bytes32 channelId = Bytes32.parse(payload.path("channelId").asText());
      long accepted =
          payload.has("cumulativeAmount") ? payload.path("cumulativeAmount").asLong() : 0;
      return new Response(
          204,
          Map.of("payment-receipt", List.of(receipt(challenge, channelId, accepted).raw())),
          new byte[0]);
    }
  }
}
