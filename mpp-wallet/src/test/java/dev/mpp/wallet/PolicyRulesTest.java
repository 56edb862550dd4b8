package dev.mpp.wallet;

import static dev.mpp.wallet.testing.Offers.PATH_USD;
import static dev.mpp.wallet.testing.Offers.context;
import static dev.mpp.wallet.testing.Offers.offer;
import static dev.mpp.wallet.testing.Offers.onChain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.MutableClock;
import dev.mpp.wallet.testing.Offers;
import dev.mpp.wallet.testing.TestRail;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule on its own: the denial names the rule, the amount, the limit and what remains. */
class PolicyRulesTest {
  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
  private final TestRail usd = Offers.usdRail();
  private final TestRail tempo = Offers.tempoRail();

  private Wallet wallet(Policy policy) {
    return Wallet.builder()
        .ledger(ledger)
        .clock(clock)
        .rail(usd, tempo)
        .agent("bot", policy)
        .build();
  }

  private PaymentDeniedException denied(Wallet wallet, PaymentContext context, Challenge offer) {
    int before = ledger.query(LedgerQuery.all()).size();
    PaymentDeniedException e =
        catchThrowableOfType(
            PaymentDeniedException.class, () -> wallet.authorize(context, List.of(offer)));
    assertThat(e).as("expected a denial").isNotNull();
    assertThat(ledger.query(LedgerQuery.all())).as("nothing recorded").hasSize(before);
    return e;
  }

  private PaymentDeniedException denied(Wallet wallet, Challenge offer) {
    int paidBefore = usd.payments() + tempo.payments();
    PaymentDeniedException e = denied(wallet, context("bot"), offer);
    assertThat(usd.payments() + tempo.payments()).as("nothing signed").isEqualTo(paidBefore);
    return e;
  }

  private static void assertAmounts(
      PaymentDeniedException e, String amount, String limit, String remaining, String unit) {
    assertThat(e.amount()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo(amount));
    assertThat(e.limit()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo(limit));
    assertThat(e.remaining())
        .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo(remaining));
    assertThat(e.unit()).isEqualTo(unit);
  }

  @Test
  void perPaymentMaximum() {
    Wallet wallet = wallet(Policy.builder().maxPerPayment("0.50").build());
    wallet.authorize(context("bot"), List.of(offer("ok", "test", "50", "usd")));

    PaymentDeniedException e = denied(wallet, offer("big", "test", "51", "usd"));

    assertThat(e.code()).isEqualTo(ErrorCode.POLICY_DENIED);
    assertThat(e.rule()).isEqualTo("agent:bot/max-per-payment");
    assertAmounts(e, "0.51", "0.50", "0.50", "usd");
  }

  @Test
  void dailyDollarCap() {
    Wallet wallet = wallet(Policy.builder().cap(Window.DAY, "1.00").build());
    wallet
        .authorize(context("bot"), List.of(offer("a", "test", "70", "usd")))
        .settle(200, null, null);

    PaymentDeniedException e = denied(wallet, offer("b", "test", "31", "usd"));

    assertThat(e.rule()).isEqualTo("agent:bot/cap/day");
    assertAmounts(e, "0.31", "1.00", "0.30", "usd");
    wallet.authorize(context("bot"), List.of(offer("c", "test", "30", "usd")));
  }

  @Test
  void heldReservationsCountLikePayments() {
    Wallet wallet = wallet(Policy.builder().cap(Window.HOUR, "1.00").build());
    wallet.authorize(context("bot"), List.of(offer("a", "test", "100", "usd"))); // still HELD

    PaymentDeniedException e = denied(wallet, offer("b", "test", "1", "usd"));

    assertThat(e.rule()).isEqualTo("agent:bot/cap/hour");
    assertAmounts(e, "0.01", "1.00", "0", "usd");
  }

  @Test
  void paymentCountCap() {
    Wallet wallet = wallet(Policy.builder().maxPayments(Window.WEEK, 2).build());
    wallet.authorize(context("bot"), List.of(offer("a", "test", "1", "usd")));
    wallet.authorize(context("bot"), List.of(offer("b", "test", "1", "usd")));

    PaymentDeniedException e = denied(wallet, offer("c", "test", "1", "usd"));

    assertThat(e.rule()).isEqualTo("agent:bot/count/week");
    assertAmounts(e, "1", "2", "0", "payments");
  }

  @Test
  void perAssetCapInBaseUnitsOnlyCountsThatAsset() {
    String key = "tempo:4217:" + PATH_USD;
    Wallet wallet =
        wallet(Policy.builder().assetCap(Window.MONTH, key, BigInteger.valueOf(1_000_000)).build());
    wallet.authorize(context("bot"), List.of(onChain("a", "tempo", "600000", PATH_USD)));
    wallet.authorize(context("bot"), List.of(offer("b", "test", "5000", "usd"))); // other asset

    PaymentDeniedException e = denied(wallet, onChain("c", "tempo", "400001", PATH_USD));

    assertThat(e.rule()).isEqualTo("agent:bot/units/month/" + key);
    assertAmounts(e, "0.400001", "1", "0.4", key);
    wallet.authorize(context("bot"), List.of(onChain("d", "tempo", "400000", PATH_USD)));
  }

  @Test
  void perAssetDollarCap() {
    String key = "test:usd";
    Wallet wallet =
        wallet(
            Policy.builder()
                .cap(new dev.mpp.wallet.policy.Cap(Window.ALL_TIME, key, 200_000L, null, null))
                .build());
    wallet.authorize(context("bot"), List.of(offer("a", "test", "15", "usd")));

    PaymentDeniedException e = denied(wallet, offer("b", "test", "6", "usd"));

    assertThat(e.rule()).isEqualTo("agent:bot/cap/all-time/" + key);
    assertAmounts(e, "0.06", "0.20", "0.05", "usd");
  }

  @Test
  void originDenyListWithHostPattern() {
    Wallet wallet = wallet(Policy.builder().denyOrigins("*.evil.example").build());

    PaymentDeniedException e =
        denied(
            wallet, context("https://API.Evil.Example/x", "bot"), offer("a", "test", "1", "usd"));

    assertThat(e.rule()).isEqualTo("agent:bot/deny/origin");
    assertThat(e.getMessage()).contains("api.evil.example");
    assertThat(e.amount()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.01"));
    assertThat(e.limit()).isEmpty();
    wallet.authorize(
        context("https://evil.example/x", "bot"), List.of(offer("b", "test", "1", "usd")));
  }

  @Test
  void originAllowList() {
    Wallet wallet = wallet(Policy.builder().allowOrigins("*.example.com", "127.0.0.1").build());
    wallet.authorize(
        context("https://a.b.example.com/", "bot"), List.of(offer("a", "test", "1", "usd")));
    wallet.authorize(
        context("http://127.0.0.1:8080/", "bot"), List.of(offer("b", "test", "1", "usd")));

    PaymentDeniedException e =
        denied(wallet, context("https://example.com/", "bot"), offer("c", "test", "1", "usd"));

    assertThat(e.rule()).isEqualTo("agent:bot/allow/origin");
  }

  @Test
  void realmLists() {
    PaymentDeniedException denied =
        denied(
            wallet(Policy.builder().denyRealms("api.example.*").build()),
            offer("a", "test", "1", "usd"));
    assertThat(denied.rule()).isEqualTo("agent:bot/deny/realm");

    PaymentDeniedException notAllowed =
        denied(
            wallet(Policy.builder().allowRealms("other").build()), offer("b", "test", "1", "usd"));
    assertThat(notAllowed.rule()).isEqualTo("agent:bot/allow/realm");
  }

  @Test
  void recipientListsAndAbsentRecipients() {
    Wallet wallet = wallet(Policy.builder().allowRecipients("0xAbC").build());
    wallet.authorize(
        context("bot"), List.of(offer("a", "tempo", "1", PATH_USD, Offers.TEMPO, "0xabc")));

    PaymentDeniedException other =
        denied(wallet, offer("b", "tempo", "1", PATH_USD, Offers.TEMPO, "0xdef"));
    assertThat(other.rule()).isEqualTo("agent:bot/allow/recipient");
    PaymentDeniedException absent = denied(wallet, offer("c", "test", "1", "usd"));
    assertThat(absent.rule()).isEqualTo("agent:bot/allow/recipient");
    assertThat(absent.getMessage()).contains("no recipient");

    Wallet denying = wallet(Policy.builder().denyRecipients("0xdef").build());
    assertThat(denied(denying, offer("d", "tempo", "1", PATH_USD, Offers.TEMPO, "0xDEF")).rule())
        .isEqualTo("agent:bot/deny/recipient");
    denying.authorize(context("bot"), List.of(offer("e", "test", "1", "usd")));
  }

  @Test
  void methodLists() {
    assertThat(
            denied(
                    wallet(Policy.builder().denyMethods("test").build()),
                    offer("a", "test", "1", "usd"))
                .rule())
        .isEqualTo("agent:bot/deny/method");
    assertThat(
            denied(
                    wallet(Policy.builder().allowMethods("tempo").build()),
                    offer("b", "test", "1", "usd"))
                .rule())
        .isEqualTo("agent:bot/allow/method");
  }

  @Test
  void assetListsMatchKeysOrCurrencies() {
    Wallet byCurrency = wallet(Policy.builder().allowAssets(PATH_USD).build());
    byCurrency.authorize(context("bot"), List.of(onChain("a", "tempo", "1", PATH_USD)));
    assertThat(denied(byCurrency, onChain("b", "tempo", "1", Offers.ALPHA_USD)).rule())
        .isEqualTo("agent:bot/allow/asset");

    Wallet byKey = wallet(Policy.builder().denyAssets("test:usd").build());
    assertThat(denied(byKey, offer("c", "test", "1", "usd")).rule())
        .isEqualTo("agent:bot/deny/asset");
    byKey.authorize(context("bot"), List.of(onChain("d", "tempo", "1", PATH_USD)));
  }

  @Test
  void chainListsApplyToOnChainAssetsOnly() {
    Wallet wallet = wallet(Policy.builder().allowChains(42431).build());
    assertThat(denied(wallet, onChain("a", "tempo", "1", PATH_USD)).rule())
        .isEqualTo("agent:bot/allow/chain");
    wallet.authorize(context("bot"), List.of(offer("b", "test", "1", "usd")));

    Wallet denying = wallet(Policy.builder().denyChains(4217).build());
    assertThat(denied(denying, onChain("c", "tempo", "1", PATH_USD)).rule())
        .isEqualTo("agent:bot/deny/chain");
  }

  @Test
  void denyWinsOverAllow() {
    Wallet wallet =
        wallet(
            Policy.builder().allowOrigins("*.example.com").denyOrigins("api.example.com").build());
    assertThat(denied(wallet, offer("a", "test", "1", "usd")).rule())
        .isEqualTo("agent:bot/deny/origin");
  }

  @Test
  void expiredBudget() {
    Wallet wallet =
        wallet(Policy.builder().expiresAt(clock.instant().plus(Duration.ofMinutes(5))).build());
    wallet.authorize(context("bot"), List.of(offer("a", "test", "1", "usd")));
    clock.advance(Duration.ofMinutes(5));

    PaymentDeniedException e = denied(wallet, offer("b", "test", "1", "usd"));

    assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_EXPIRED);
    assertThat(e.rule()).isEqualTo("agent:bot/expires");
    assertThat(e.getMessage()).contains("2026-03-01T12:05:00Z");
  }
}
