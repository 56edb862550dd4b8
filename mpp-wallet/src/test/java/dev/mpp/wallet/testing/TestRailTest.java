package dev.mpp.wallet.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Money;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.RailPayment;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class TestRailTest {

  @Test
  void quotesConfiguredAssetsWithTheirChain() {
    TestRail rail = Offers.tempoRail();

    assertThat(rail.quote(Offers.onChain("a", "tempo", "250", Offers.PATH_USD)))
        .isEqualTo(
            Quote.payable(
                new Money(BigInteger.valueOf(250), new Asset("tempo", Offers.PATH_USD, 4217L, 6)),
                Money.zero(new Asset("tempo", Offers.PATH_USD, 4217L, 6))));
    assertThat(rail.quote(Offers.offer("b", "tempo", "250", Offers.PATH_USD)))
        .isInstanceOf(Quote.Unsupported.class);
    assertThat(rail.quote(Offers.offer("c", "test", "250", "usd")))
        .isEqualTo(Quote.unsupported("method test is not tempo"));
  }

  @Test
  void paysWithADeterministicPayloadAndCountsPayments() {
    TestRail rail = TestRail.builder().asset("usd", 2).source("did:test:1").build();

    RailPayment payment = rail.pay(Offers.offer("c-9", "test", "1", "usd"), Offers.context("bot"));

    assertThat(payment.payload().toString()).isEqualTo("{\"token\":\"test-c-9\"}");
    assertThat(payment.source()).isEqualTo("did:test:1");
    assertThat(rail.payments()).isEqualTo(1);
    assertThat(payment.toString()).doesNotContain("test-c-9");
  }

  @Test
  void refusesToPayWhatItCannotQuote() {
    TestRail rail = TestRail.usd();
    assertThatThrownBy(() -> rail.pay(Offers.offer("x", "test", "1", "eur"), Offers.context("bot")))
        .isInstanceOfSatisfying(
            PaymentRefusedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_REQUEST));
    assertThat(rail.payments()).isZero();
  }

  @Test
  void hmacRailProducesTheInteropServersMac() {
    HmacTestRail rail = HmacTestRail.of(HmacTestRail.DEFAULT_SECRET);

    // python3: hmac.new(b'test-secret', b'abc-123', hashlib.sha256).hexdigest()
    String expected = "c122399cfad0e476889a8093e279c1c0f23608d722563a4fd96de2d5fcd69878";
    assertThat(rail.mac("abc-123")).isEqualTo(expected);
    RailPayment payment =
        rail.pay(Offers.offer("abc-123", "test", "1", "usd"), Offers.context("bot"));
    assertThat(payment.payload().toString()).isEqualTo("{\"mac\":\"" + expected + "\"}");
    assertThat(rail.method()).isEqualTo("test");
    assertThat(rail.intents()).containsExactly("charge");
    assertThat(rail.toString()).doesNotContain("test-secret");
    assertThat(HmacTestRail.of("other").mac("abc-123")).isNotEqualTo(expected);
  }
}
