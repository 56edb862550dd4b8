package dev.mpp.rail.tempo.session;

import static dev.mpp.rail.tempo.session.TempoSessionRailTest.ESCROW;
import static dev.mpp.rail.tempo.session.TempoSessionRailTest.NOW;
import static dev.mpp.rail.tempo.session.TempoSessionRailTest.TOKEN;
import static dev.mpp.rail.tempo.session.TempoSessionRailTest.URL;
import static dev.mpp.rail.tempo.session.TempoSessionRailTest.challenge;
import static dev.mpp.rail.tempo.session.TempoSessionRailTest.key;
import static dev.mpp.rail.tempo.session.TempoSessionRailTest.receipt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.PaymentState;
import dev.mpp.client.ProtocolException;
import dev.mpp.client.StreamEvent;
import dev.mpp.client.wire.Credential;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import java.math.BigInteger;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** In-stream payments: {@code payment-need-voucher} events of a paid SSE response. */
class TempoSessionStreamTest {

  final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  final InMemoryChannelStore channels = new InMemoryChannelStore();
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final List<Map.Entry<String, Map<String, String>>> posted = new ArrayList<>();
  final PaymentContext context = PaymentContext.of(URL, "GET", "bot");
  int answer = 204;
  Wallet wallet;
  String channelId;

  @AfterEach
  void close() {
    if (wallet != null) {
      wallet.close();
    }
  }

  /** A wallet whose channel is open with one accepted voucher of 1000. */
  void open(Policy policy) {
    TempoSessionConfig config =
        TempoSessionConfig.builder(1337)
            .asset(EvmAddress.parse(TOKEN))
            .trustEscrow(SessionProtocol.V1, EvmAddress.parse(ESCROW))
            .maxDeposit(BigInteger.valueOf(1_000_000))
            .maxFeePerGas(BigInteger.valueOf(10_000_000_000L))
            .build();
    TempoSessionRail rail =
        TempoSessionRail.builder(config, key(), channels)
            .clock(clock)
            .ledger(ledger)
            .transport(
                (method, url, headers) -> {
                  posted.add(Map.entry(method, headers));
                  return new SessionTransport.Response(answer, Map.of(), new byte[0]);
                })
            .build();
    wallet = Wallet.builder().ledger(ledger).rail(rail).clock(clock).agent("bot", policy).build();
    PaymentAuthorization open = wallet.authorize(context, List.of(challenge("c1", null)));
    channelId = Credential.parse(open.authorizationHeader()).payload().path("channelId").asText();
    open.settle(200, receipt(channelId, BigInteger.valueOf(1_000)), null);
  }

  StreamEvent need(long required) {
    return new StreamEvent(
        "payment-need-voucher",
        "{\"channelId\":\""
            + channelId
            + "\",\"requiredCumulative\":\""
            + required
            + "\",\"acceptedCumulative\":\"1000\",\"deposit\":\"1000000\"}");
  }

  List<String> postedActions() {
    return posted.stream()
        .map(p -> Credential.parse(p.getValue().get("Authorization")).payload())
        .map(p -> p.path("action").asText() + " " + p.path("cumulativeAmount").asText(""))
        .map(String::strip)
        .toList();
  }

  ChannelState channel() {
    return channels.list("bot").get(0);
  }

  List<PaymentRecord> records() {
    return ledger.query(LedgerQuery.agent("bot"));
  }

  @Test
  void aDemandIsSignedPostedAndRecordedAsOnePayment() {
    open(Policy.unlimited());
    int before = records().size();

    wallet.payInStream(context, need(3_000));

    assertThat(postedActions()).containsExactly("voucher 3000");
    assertThat(posted.get(0).getKey()).isEqualTo("POST");
    assertThat(channel().highestSigned()).isEqualTo(BigInteger.valueOf(3_000));
    assertThat(channel().accepted()).isEqualTo(BigInteger.valueOf(3_000));
    assertThat(records()).as("one new record: the increment").hasSize(before + 1);
    PaymentRecord voucher =
        records().stream()
            .filter(r -> r.amount().equals(BigInteger.valueOf(2_000)))
            .findFirst()
            .orElseThrow();
    assertThat(voucher.state()).isEqualTo(PaymentState.PAID);
    assertThat(voucher.intent()).isEqualTo("session");
  }

  @Test
  void aDemandAlreadyCoveredResendsTheHighestVoucherAndRecordsNothing() {
    open(Policy.unlimited());
    int before = records().size();

    wallet.payInStream(context, need(1_000));

    assertThat(postedActions()).containsExactly("voucher 1000");
    assertThat(records()).hasSize(before);
    assertThat(channel().highestSigned()).isEqualTo(BigInteger.valueOf(1_000));
  }

  @Test
  void anIncrementAboveMaxPerPaymentIsDeniedAndNothingIsSigned() {
    open(Policy.builder().maxPerPayment("0.002").build());

    assertThatThrownBy(() -> wallet.payInStream(context, need(4_000)))
        .isInstanceOf(PaymentDeniedException.class)
        .hasMessageContaining("max-per-payment");

    assertThat(posted).isEmpty();
    assertThat(channel().highestSigned()).isEqualTo(BigInteger.valueOf(1_000));
  }

  @Test
  void aDemandBeyondTheDepositTopsUpBeforeTheVoucher() {
    open(Policy.builder().maxLockable("0.003").build());

    wallet.payInStream(context, need(3_000));
    wallet.payInStream(context, need(4_000));

    assertThat(postedActions()).containsExactly("voucher 3000", "topUp", "voucher 4000");
    assertThat(channel().deposit()).isEqualTo(BigInteger.valueOf(6_000));
    assertThat(channel().holdIds()).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[]",
        "{}",
        "{\"channelId\":\"0x12\",\"requiredCumulative\":\"1\",\"acceptedCumulative\":\"0\","
            + "\"deposit\":\"1\"}",
        "{\"channelId\":\"CHANNEL\",\"requiredCumulative\":\"-5\",\"acceptedCumulative\":\"0\","
            + "\"deposit\":\"1\"}",
        "{\"channelId\":\"CHANNEL\",\"requiredCumulative\":5000,\"acceptedCumulative\":\"0\","
            + "\"deposit\":\"1\"}",
        "{\"channelId\":\"CHANNEL\",\"requiredCumulative\":\"1e9\",\"acceptedCumulative\":\"0\","
            + "\"deposit\":\"1\"}"
      })
  void aMalformedDemandIsAProtocolErrorAndNothingIsSigned(String data) {
    open(Policy.unlimited());
    StreamEvent event = new StreamEvent("payment-need-voucher", data.replace("CHANNEL", channelId));

    assertThatThrownBy(() -> wallet.payInStream(context, event))
        .isInstanceOf(ProtocolException.class)
        .extracting(e -> ((MppException) e).code())
        .isEqualTo(ErrorCode.MALFORMED_REQUEST);
    assertThat(posted).isEmpty();
    assertThat(channel().highestSigned()).isEqualTo(BigInteger.valueOf(1_000));
  }

  @Test
  void aDemandFromAnotherOriginOnThisChannelIsRefused() {
    open(Policy.unlimited());
    PaymentContext elsewhere =
        PaymentContext.of(URI.create("https://evil.example.test/stream"), "GET", "bot");

    assertThatThrownBy(() -> wallet.payInStream(elsewhere, need(2_000)))
        .isInstanceOf(PaymentRefusedException.class)
        .hasMessageContaining("not bot's channel");
    assertThat(posted).isEmpty();
  }

  @Test
  void aDemandOnAnUnknownChannelIsRefused() {
    open(Policy.unlimited());
    StreamEvent unknown =
        new StreamEvent(
            "payment-need-voucher",
            "{\"channelId\":\"0x"
                + "ab".repeat(32)
                + "\",\"requiredCumulative\":\"2000\",\"acceptedCumulative\":\"0\","
                + "\"deposit\":\"1\"}");

    assertThatThrownBy(() -> wallet.payInStream(context, unknown))
        .isInstanceOf(PaymentRefusedException.class)
        .extracting(e -> ((MppException) e).code())
        .isEqualTo(ErrorCode.NO_PAYABLE_OFFER);
    assertThat(posted).isEmpty();
  }

  @Test
  void aRefusedInStreamVoucherFailsTheReadAndStaysCounted() {
    open(Policy.unlimited());
    answer = 402;

    assertThatThrownBy(() -> wallet.payInStream(context, need(2_000)))
        .isInstanceOf(PaymentFailedException.class)
        .extracting(e -> ((MppException) e).code())
        .isEqualTo(ErrorCode.PAYMENT_REJECTED);
    PaymentRecord voucher =
        records().stream()
            .filter(
                r -> r.amount().equals(BigInteger.valueOf(1_000)) && r.state() != PaymentState.PAID)
            .findFirst()
            .orElseThrow();
    assertThat(voucher.state())
        .as("the server holds the signature: counted until the channel closes")
        .isEqualTo(PaymentState.UNKNOWN);
    assertThat(channel().highestSigned()).isEqualTo(BigInteger.valueOf(2_000));
  }

  @Test
  void otherEventsAreNotPayments() {
    open(Policy.unlimited());

    wallet.payInStream(context, new StreamEvent("payment-receipt", "{}"));

    assertThat(posted).isEmpty();
  }

  @Test
  void holdsRecordTheWorstCaseFeeOfTheirTransaction() {
    open(Policy.builder().maxLockable("0.003").build());
    wallet.payInStream(context, need(3_000));
    wallet.payInStream(context, need(4_000)); // tops up

    TempoSessionConfig defaults =
        TempoSessionConfig.builder(1337).asset(EvmAddress.parse(TOKEN)).build();
    List<Long> holdFees =
        channel().holdIds().stream()
            .map(id -> ledger.find(id).orElseThrow().feeUsdMicros())
            .toList();
    // gas × 10 gwei-attodollars, in micro-dollars (a 6-decimal USD token at 1.00)
    assertThat(holdFees).containsExactly(defaults.openGas() / 100, defaults.topUpGas() / 100);
    assertThat(
            records().stream()
                .filter(r -> !channel().holdIds().contains(r.id()))
                .mapToLong(PaymentRecord::feeUsdMicros)
                .sum())
        .as("vouchers cost no fee")
        .isZero();
  }
}
