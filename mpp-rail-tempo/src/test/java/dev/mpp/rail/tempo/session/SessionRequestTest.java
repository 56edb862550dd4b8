package dev.mpp.rail.tempo.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.ProtocolException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.rail.Quote;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a session challenge must look like before anything is signed. */
class SessionRequestTest {

  static final String TOKEN = "0x20c0000000000000000000000000000000000000";
  static final String PAYEE = "0xa0ee7a142d267c1f36714e4a8f75612f20a79720";
  static final String ESCROW = "0x95bd8d42f30351685e96c62eddc0d0613bf9a87a";

  static final TempoSessionConfig CONFIG =
      TempoSessionConfig.builder(1337)
          .asset(EvmAddress.parse(TOKEN))
          .trustEscrow(SessionProtocol.V1, EvmAddress.parse(ESCROW))
          .build();

  static Challenge challenge(String requestJson) {
    return challenge("tempo", "session", requestJson);
  }

  static Challenge challenge(String method, String intent, String requestJson) {
    return Challenge.builder()
        .id("id-1")
        .realm("realm")
        .method(method)
        .intent(intent)
        .request(
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(requestJson.getBytes(StandardCharsets.UTF_8)))
        .expires(Instant.parse("2099-01-01T00:00:00Z"))
        .build();
  }

  static String request(String details) {
    return "{\"amount\":\"1000\",\"currency\":\""
        + TOKEN
        + "\",\"recipient\":\""
        + PAYEE
        + "\",\"suggestedDeposit\":\"1000000\",\"unitType\":\"request\",\"methodDetails\":"
        + details
        + "}";
  }

  @Test
  void parsesAV1ChallengeAsMppx0631SendsIt() {
    SessionRequest request =
        SessionRequest.parse(
            challenge(request("{\"chainId\":1337,\"escrowContract\":\"" + ESCROW + "\"}")), CONFIG);

    assertThat(request.protocol()).isEqualTo(SessionProtocol.V1);
    assertThat(request.amount()).isEqualTo(BigInteger.valueOf(1000));
    assertThat(request.suggestedDeposit()).isEqualTo(BigInteger.valueOf(1_000_000));
    assertThat(request.unitType()).isEqualTo("request");
    assertThat(request.operator()).isNull();
    assertThat(request.feePayer()).isFalse();
    assertThat(request.escrow()).isEqualTo(EvmAddress.parse(ESCROW));
  }

  @Test
  void aV2ChallengeWithoutOperatorUsesTheZeroOperator() {
    TempoSessionConfig config =
        TempoSessionConfig.builder(4217).asset(EvmAddress.parse(TOKEN)).build();
    SessionRequest request =
        SessionRequest.parse(
            challenge(
                request(
                    "{\"chainId\":4217,\"escrowContract\":\"0x4d50500000000000000000000000000000000000\","
                        + "\"sessionProtocol\":\"v2\",\"feePayer\":true,\"minVoucherDelta\":\"10\"}")),
            config);

    assertThat(request.protocol()).isEqualTo(SessionProtocol.V2);
    assertThat(request.operator()).isEqualTo(EvmAddress.of(new byte[20]));
    assertThat(request.feePayer()).isTrue();
    assertThat(request.minVoucherDelta()).isEqualTo(BigInteger.TEN);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no chain id | {\"escrowContract\":\"" + ESCROW + "\"} | UNSUPPORTED_REQUEST",
        "other chain | {\"chainId\":4217,\"escrowContract\":\""
            + ESCROW
            + "\"} | UNSUPPORTED_REQUEST",
        "untrusted escrow | {\"chainId\":1337,\"escrowContract\":\""
            + "0x9999999999999999999999999999999999999999\"} | UNSUPPORTED_REQUEST",
        "unknown protocol | {\"chainId\":1337,\"escrowContract\":\""
            + ESCROW
            + "\",\"sessionProtocol\":\"v9\"} | UNSUPPORTED_REQUEST",
        "no escrow | {\"chainId\":1337} | MALFORMED_REQUEST",
        "bad escrow | {\"chainId\":1337,\"escrowContract\":\"0x1234\"} | MALFORMED_REQUEST",
        "chain id as text | {\"chainId\":\"1337\",\"escrowContract\":\""
            + ESCROW
            + "\"} | MALFORMED_REQUEST",
        "fee payer as text | {\"chainId\":1337,\"escrowContract\":\""
            + ESCROW
            + "\",\"feePayer\":\"yes\"} | MALFORMED_REQUEST",
        "bad channel id | {\"chainId\":1337,\"escrowContract\":\""
            + ESCROW
            + "\",\"channelId\":\"0x12\"} | MALFORMED_REQUEST",
        "delta above price | {\"chainId\":1337,\"escrowContract\":\""
            + ESCROW
            + "\",\"minVoucherDelta\":\"1001\"} | UNSUPPORTED_REQUEST",
      })
  void refusesBadOrUntrustedChallengesWithATypedError(String name, String details, ErrorCode code) {
    Challenge challenge = challenge(request(details));

    assertThatThrownBy(() -> SessionRequest.parse(challenge, CONFIG))
        .isInstanceOfSatisfying(MppException.class, e -> assertThat(e.code()).isEqualTo(code));
    assertThat(rail().quote(challenge)).isInstanceOf(Quote.Unsupported.class);
  }

  @Test
  void refusesAZeroPriceAnOtherAssetAndAnotherIntent() {
    String details = "{\"chainId\":1337,\"escrowContract\":\"" + ESCROW + "\"}";
    assertThatThrownBy(
            () ->
                SessionRequest.parse(
                    challenge(request(details).replace("\"amount\":\"1000\"", "\"amount\":\"0\"")),
                    CONFIG))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(
            () ->
                SessionRequest.parse(
                    challenge(
                        request(details)
                            .replace(TOKEN, "0x20c0000000000000000000000000000000000001")),
                    CONFIG))
        .isInstanceOf(PaymentRefusedException.class);
    assertThatThrownBy(
            () -> SessionRequest.parse(challenge("tempo", "charge", request(details)), CONFIG))
        .isInstanceOf(PaymentRefusedException.class);
  }

  @Test
  void refusesV2AmountsBeyondUint96() {
    TempoSessionConfig config =
        TempoSessionConfig.builder(4217).asset(EvmAddress.parse(TOKEN)).build();
    String huge = BigInteger.ONE.shiftLeft(96).toString();
    Challenge challenge =
        challenge(
            request(
                    "{\"chainId\":4217,\"escrowContract\":\"0x4d50500000000000000000000000000000000000\","
                        + "\"sessionProtocol\":\"v2\"}")
                .replace(
                    "\"suggestedDeposit\":\"1000000\"", "\"suggestedDeposit\":\"" + huge + "\""));

    assertThatThrownBy(() -> SessionRequest.parse(challenge, config))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_AMOUNT));
  }

  private static TempoSessionRail rail() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 1);
    return TempoSessionRail.builder(CONFIG, PrivateKeySigner.of(key), new InMemoryChannelStore())
        .ledger(new InMemoryLedgerStore())
        .build();
  }
}
