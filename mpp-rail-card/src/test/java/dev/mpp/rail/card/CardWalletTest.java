package dev.mpp.rail.card;

import static dev.mpp.rail.card.CardChallenges.challenge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.rail.card.testing.TestCardCredentials;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.price.Prices;
import dev.mpp.wallet.testing.Offers;
import dev.mpp.wallet.testing.TestRail;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The card rail inside the wallet: cheapest-rail choice with fees, prices, caps, redaction. */
class CardWalletTest {
  private static final PaymentContext CONTEXT =
      PaymentContext.of(URI.create("https://api.merchant.example/paid"), "GET", "bot-1");

  private final TestCardCredentials credentials = TestCardCredentials.visa();

  private static Challenge card(String id, String amount, String currency) {
    return challenge(id, r -> r.put("amount", amount).put("currency", currency));
  }

  private static Challenge tempo(String id, String amount) {
    return Offers.onChain(id, "tempo", amount, Offers.PATH_USD);
  }

  private static TestRail tempoRail() {
    return TestRail.builder().method("tempo").asset(Offers.PATH_USD, Offers.TEMPO, 6).build();
  }

  private Wallet wallet(CardFees fees, Prices prices, Policy policy) {
    CardRail rail = CardRail.builder().credentials(credentials).fees(fees).build();
    return Wallet.builder()
        .ledger(new InMemoryLedgerStore())
        .rail(rail, tempoRail())
        .prices(prices)
        .agent("bot-1", policy)
        .build();
  }

  private static Policy daily(String max) {
    return Policy.builder().cap(Window.DAY, max).build();
  }

  @Test
  void cardFeeDecidesTheCheapestOfCardAndTempo() {
    // card 0.50 usd vs tempo 0.60 pathUSD: without a fee the card is cheaper...
    try (Wallet noFee = wallet(CardFees.none(), Prices.defaults(), daily("10"))) {
      PaymentAuthorization paid =
          noFee.authorize(
              CONTEXT, List.of(tempo("ch_tempo", "600000"), card("ch_card", "50", "usd")));
      assertThat(paid.challenge().method()).isEqualTo("card");
      assertThat(paid.record().rationale()).contains("cheapest allowed");
    }
    // ...with 2.9% + 30 cents it costs 0.82 and tempo wins.
    try (Wallet withFee =
        wallet(
            CardFees.percentPlusFixed(new BigDecimal("2.9"), 30), Prices.defaults(), daily("10"))) {
      PaymentAuthorization paid =
          withFee.authorize(
              CONTEXT, List.of(card("ch_card", "50", "usd"), tempo("ch_tempo", "600000")));
      assertThat(paid.challenge().method()).isEqualTo("tempo");
      assertThat(paid.record().rationale()).contains("card/charge").contains("costlier");
    }
    assertThat(credentials.purchases()).hasSize(1);
  }

  @Test
  void fiatAmountsNormalizeToUsdThroughThePriceSource() {
    try (Wallet unpriced = wallet(CardFees.none(), Prices.defaults(), daily("10"))) {
      assertThatThrownBy(() -> unpriced.authorize(CONTEXT, List.of(card("ch_jpy", "500", "jpy"))))
          .isInstanceOfSatisfying(
              PaymentRefusedException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_PAYABLE_OFFER));
    }
    Prices yen = Prices.builder().rate("jpy", "0.0067").build();
    try (Wallet priced = wallet(CardFees.none(), yen, daily("10"))) {
      PaymentRecord record =
          priced.authorize(CONTEXT, List.of(card("ch_jpy", "500", "jpy"))).record();
      // 500 yen (exponent 0) at 0.0067 usd each
      assertThat(record.usdMicros()).isEqualTo(3_350_000);
      assertThat(record.decimals()).isZero();
    }
  }

  @Test
  void cardSpendCountsInTheSameCaps() {
    try (Wallet wallet = wallet(CardFees.none(), Prices.defaults(), daily("1.00"))) {
      wallet.authorize(CONTEXT, List.of(tempo("ch_t1", "600000")));

      assertThatThrownBy(() -> wallet.authorize(CONTEXT, List.of(card("ch_c1", "50", "usd"))))
          .isInstanceOf(PaymentDeniedException.class);
      assertThat(credentials.purchases()).isEmpty();
      assertThat(wallet.authorize(CONTEXT, List.of(card("ch_c2", "40", "usd"))).record().state())
          .isEqualTo(PaymentState.HELD);
    }
  }

  @Test
  void enablerFailureReleasesTheReservation() {
    credentials.refuse(true);
    try (Wallet wallet = wallet(CardFees.none(), Prices.defaults(), daily("10"))) {
      assertThatThrownBy(() -> wallet.authorize(CONTEXT, List.of(card("ch_no", "50", "usd"))))
          .isInstanceOf(PaymentFailedException.class);

      List<PaymentRecord> records = wallet.records(LedgerQuery.all());
      assertThat(records)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.state()).isEqualTo(PaymentState.RELEASED);
                assertThat(r.method()).isEqualTo("card");
              });
    }
  }

  @Test
  void noSecretReachesLogsExceptionsOrTheLedger() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    StringBuilder texts = new StringBuilder();
    StringWriter ledger = new StringWriter();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (Wallet wallet = wallet(CardFees.none(), Prices.defaults(), daily("100"))) {
      PaymentAuthorization paid =
          wallet.authorize(
              CONTEXT,
              List.of(
                  challenge(
                      "ch_secret", r -> CardChallenges.details(r).put("billingRequired", true))));
      assertThat(paid.settle(200, null, "no receipt in this test").detail())
          .as("the ledger keeps network and last four")
          .startsWith("visa ••4242; HTTP 200");
      texts.append(paid).append(paid.record());
      credentials.refuse(true);
      try {
        wallet.authorize(CONTEXT, List.of(card("ch_refused", "50", "usd")));
      } catch (RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
          texts.append(t).append('\n');
        }
      }
      wallet.exportJsonLines(ledger, LedgerQuery.all());
      wallet.exportCsv(ledger, LedgerQuery.all());
    } finally {
      System.setErr(original);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).as("logging ran at trace").contains("ch_secret");
    assertThat(ledger.toString()).contains("ch_secret").contains("card");
    for (String text : List.of(logs, texts.toString(), ledger.toString())) {
      assertThat(text)
          .doesNotContain(TestCardCredentials.TOKEN)
          .doesNotContain(TestCardCredentials.TOKEN.substring(0, 12))
          .doesNotContain(TestCardCredentials.cryptogramFor("ch_secret"))
          .doesNotContain(TestCardCredentials.BILLING_ZIP)
          .doesNotContain("1 Test St")
          .doesNotContain(TestCardCredentials.CARDHOLDER)
          .doesNotContain(TestCardCredentials.PAR);
    }
  }
}
