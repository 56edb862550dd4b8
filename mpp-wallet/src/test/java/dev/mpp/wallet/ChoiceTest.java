package dev.mpp.wallet;

import static dev.mpp.wallet.testing.Offers.ALPHA_USD;
import static dev.mpp.wallet.testing.Offers.PATH_USD;
import static dev.mpp.wallet.testing.Offers.context;
import static dev.mpp.wallet.testing.Offers.offer;
import static dev.mpp.wallet.testing.Offers.onChain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.price.Prices;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.RailPayment;
import dev.mpp.wallet.testing.Offers;
import dev.mpp.wallet.testing.TestRail;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChoiceTest {
  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();

  private Wallet.Builder wallet(Rail... rails) {
    return Wallet.builder().ledger(ledger).rail(rails).agent("bot", Policy.unlimited());
  }

  @Test
  void picksTheLowestTotalCostAcrossAssetsAndRails() {
    Wallet wallet = wallet(Offers.usdRail(), Offers.tempoRail()).build();
    Challenge cents = offer("a", "test", "3", "usd"); // 0.03
    Challenge path = onChain("b", "tempo", "25000", PATH_USD); // 0.025
    Challenge alpha = onChain("c", "tempo", "26000", ALPHA_USD); // 0.026

    PaymentAuthorization auth = wallet.authorize(context("bot"), List.of(cents, path, alpha));

    assertThat(auth.challenge()).isSameAs(path);
    assertThat(auth.record().usdMicros()).isEqualTo(25_000);
    assertThat(auth.record().state()).isEqualTo(PaymentState.HELD);
    assertThat(auth.record().rationale())
        .startsWith("chose #2 tempo/charge (challenge b) via tempo: 0.025 usd")
        .contains("cheapest allowed of 3 options")
        .contains("#1 test/charge (challenge a) via test: costlier (0.03 usd")
        .contains("#3 tempo/charge (challenge c) via tempo: costlier (0.026 usd");
  }

  @Test
  void railFeesCountTowardsTheChoiceButNotTheRecordedAmount() {
    TestRail costly = TestRail.builder().asset("usd", 2).fee(2).build(); // 2 cents fee
    Wallet wallet = wallet(costly, Offers.tempoRail()).build();
    Challenge cents = offer("a", "test", "2", "usd"); // 0.02 + 0.02 fee
    Challenge path = onChain("b", "tempo", "30000", PATH_USD); // 0.03

    PaymentAuthorization auth = wallet.authorize(context("bot"), List.of(cents, path));

    assertThat(auth.challenge()).isSameAs(path);
    assertThat(auth.record().rationale())
        .contains("costlier (0.02 usd in test:usd + 0.02 usd fee = 0.04 usd)");

    PaymentAuthorization onlyCents = wallet.authorize(context("bot"), List.of(cents));
    assertThat(onlyCents.record().usdMicros()).isEqualTo(20_000);
    assertThat(onlyCents.record().feeUsdMicros()).isEqualTo(20_000);
  }

  @Test
  void tiesKeepTheServersOrder() {
    Wallet wallet = wallet(Offers.usdRail(), Offers.tempoRail()).build();
    Challenge first = onChain("x", "tempo", "10000", ALPHA_USD);
    Challenge second = offer("y", "test", "1", "usd");
    Challenge third = onChain("z", "tempo", "10000", PATH_USD);

    assertThat(wallet.authorize(context("bot"), List.of(first, second, third)).challenge())
        .isSameAs(first);
    PaymentAuthorization auth = wallet.authorize(context("bot"), List.of(second, third, first));
    assertThat(auth.challenge()).isSameAs(second);
    assertThat(auth.record().rationale()).contains("same cost, later in server order");
  }

  @Test
  void preferenceReordersAheadOfCost() {
    Wallet wallet = wallet(Offers.usdRail(), Offers.tempoRail()).preferMethods("tempo").build();
    Challenge cheap = offer("a", "test", "1", "usd"); // 0.01
    Challenge preferred = onChain("b", "tempo", "50000", PATH_USD); // 0.05

    PaymentAuthorization auth = wallet.authorize(context("bot"), List.of(cheap, preferred));

    assertThat(auth.challenge()).isSameAs(preferred);
    assertThat(auth.record().rationale())
        .contains("preferred method")
        .contains("#1 test/charge (challenge a) via test: method not preferred");
    assertThat(wallet.acceptPayment().toString()).isEqualTo("test/charge;q=0.5, tempo/charge");
  }

  @Test
  void preferenceOnlyChoosesAmongAllowedOffers() {
    Policy noTempo = Policy.builder().denyMethods("tempo").build();
    Wallet wallet =
        Wallet.builder()
            .ledger(ledger)
            .rail(Offers.usdRail(), Offers.tempoRail())
            .agent("bot", noTempo)
            .preferMethods("tempo")
            .build();
    Challenge cheap = offer("a", "test", "1", "usd");
    Challenge preferred = onChain("b", "tempo", "5000", PATH_USD);

    PaymentAuthorization auth = wallet.authorize(context("bot"), List.of(preferred, cheap));

    assertThat(auth.challenge()).isSameAs(cheap);
    assertThat(auth.record().rationale()).contains("denied by agent:bot/deny/method");
  }

  @Test
  void unpricedOffersAreNeverChosenEvenWhenCheapest() {
    TestRail sats = TestRail.builder().method("lightning").asset("sat", 0).build();
    Wallet wallet = wallet(Offers.usdRail(), sats).build();
    Challenge lightning = offer("ln", "lightning", "1", "sat");
    Challenge cents = offer("c", "test", "500", "usd");

    PaymentAuthorization auth = wallet.authorize(context("bot"), List.of(lightning, cents));

    assertThat(auth.challenge()).isSameAs(cents);
    assertThat(auth.record().rationale())
        .contains("#1 lightning/charge (challenge ln) via lightning: unpriced (no usd price for")
        .contains("lightning:sat");

    assertThatThrownBy(() -> wallet.authorize(context("bot"), List.of(lightning)))
        .isInstanceOfSatisfying(
            PaymentRefusedException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.NO_PAYABLE_OFFER);
              assertThat(e.getMessage()).contains("unpriced");
            });
    assertThat(sats.payments()).isZero();
  }

  @Test
  void aConfiguredRateMakesAnAssetPayable() {
    TestRail sats = TestRail.builder().method("lightning").asset("sat", 0).build();
    Wallet wallet =
        wallet(sats)
            .prices(Prices.builder().bitcoin(new java.math.BigDecimal("60000")).build())
            .build();

    PaymentAuthorization auth =
        wallet.authorize(context("bot"), List.of(offer("ln", "lightning", "1000", "sat")));

    assertThat(auth.record().usdMicros()).isEqualTo(600_000); // 1000 sat at 60k usd/btc
  }

  @Test
  void unsupportedOffersAreExplained() {
    Wallet wallet = wallet(Offers.tempoRail()).build();
    Challenge stripe = offer("s", "stripe", "100", "usd");
    Challenge wrongChain = offer("w", "tempo", "100", PATH_USD, 1L, null);
    Challenge good = onChain("g", "tempo", "1000000", PATH_USD);

    PaymentAuthorization auth = wallet.authorize(context("bot"), List.of(stripe, wrongChain, good));

    assertThat(auth.challenge()).isSameAs(good);
    assertThat(auth.record().rationale())
        .contains("#1 stripe/charge (challenge s): unsupported (no rail for stripe/charge)")
        .contains("#2 tempo/charge (challenge w) via tempo: unsupported (asset " + PATH_USD)
        .contains("on chain 1 is not configured");

    assertThatThrownBy(() -> wallet.authorize(context("bot"), List.of(stripe)))
        .isInstanceOfSatisfying(
            PaymentRefusedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_PAYABLE_OFFER));
    assertThatThrownBy(() -> wallet.authorize(context("bot"), List.of()))
        .isInstanceOf(PaymentRefusedException.class);
  }

  @Test
  void aCapDenialOnTheCheapestFallsThroughToTheNextThatFits() {
    Policy policy =
        Policy.builder()
            .assetCap(Window.DAY, "tempo:4217:" + PATH_USD, BigInteger.valueOf(10_000))
            .build();
    Wallet wallet =
        Wallet.builder()
            .ledger(ledger)
            .rail(Offers.usdRail(), Offers.tempoRail())
            .agent("bot", policy)
            .build();
    Challenge path = onChain("p", "tempo", "20000", PATH_USD); // cheapest, over its asset cap
    Challenge cents = offer("c", "test", "3", "usd");

    PaymentAuthorization auth = wallet.authorize(context("bot"), List.of(path, cents));

    assertThat(auth.challenge()).isSameAs(cents);
    assertThat(auth.record().rationale())
        .contains("best allowed after reservation denials")
        .contains(
            "#1 tempo/charge (challenge p) via tempo: denied by agent:bot/units/day/tempo:4217:"
                + PATH_USD
                + " at reservation");
    assertThat(ledger.query(LedgerQuery.all())).hasSize(1);
  }

  @Test
  void whenEveryCandidateIsDeniedByACapTheCheapestDenialIsThrown() {
    Policy policy = Policy.builder().cap(Window.DAY, "0.01").build();
    Wallet wallet =
        Wallet.builder()
            .ledger(ledger)
            .rail(Offers.usdRail(), Offers.tempoRail())
            .agent("bot", policy)
            .build();

    assertThatThrownBy(
            () ->
                wallet.authorize(
                    context("bot"),
                    List.of(
                        offer("c", "test", "3", "usd"), onChain("p", "tempo", "20000", PATH_USD))))
        .isInstanceOfSatisfying(
            PaymentDeniedException.class,
            e -> {
              assertThat(e.rule()).isEqualTo("agent:bot/cap/day");
              assertThat(e.amount())
                  .hasValueSatisfying(a -> assertThat(a).isEqualByComparingTo("0.02"));
              assertThat(e.getMessage()).contains("[offers: ");
            });
    assertThat(ledger.query(LedgerQuery.all())).isEmpty();
  }

  @Test
  void aRailQuotingLessThanTheRequestIsNotTrusted() {
    Rail lowball =
        new Rail() {
          @Override
          public String method() {
            return "test";
          }

          @Override
          public List<String> intents() {
            return List.of("charge");
          }

          @Override
          public Quote quote(Challenge challenge) {
            Asset usd = new Asset("test", "usd", null, 2);
            return Quote.payable(new Money(BigInteger.ONE, usd), Money.zero(usd));
          }

          @Override
          public RailPayment pay(Challenge challenge, dev.mpp.client.PaymentContext context) {
            throw new AssertionError("must not pay");
          }
        };
    Wallet wallet = wallet(lowball).build();

    assertThatThrownBy(
            () -> wallet.authorize(context("bot"), List.of(offer("c", "test", "500", "usd"))))
        .isInstanceOfSatisfying(
            PaymentRefusedException.class,
            e -> assertThat(e.getMessage()).contains("rail quoted less than the request"));
  }

  @Test
  void theCredentialEchoesTheChallengeAndCarriesTheRailPayload() {
    Wallet wallet = wallet(Offers.usdRail()).build();
    Challenge challenge = offer("c-1", "test", "5", "usd");

    PaymentAuthorization auth = wallet.authorize(context("bot"), List.of(challenge));

    Credential credential = Credential.parse(auth.authorizationHeader());
    assertThat(credential.challenge()).isEqualTo(challenge);
    assertThat(credential.payload().get("token").asText()).isEqualTo("test-c-1");
    assertThat(auth.toString()).doesNotContain(auth.authorizationHeader().substring(8));
  }

  @Test
  void recordsTheRequestWithoutItsQueryAndEveryDescriptiveField() {
    Wallet wallet = wallet(Offers.tempoRail()).build();

    var record =
        wallet
            .authorize(context("bot"), List.of(onChain("c", "tempo", "1234567", PATH_USD)))
            .record();

    assertThat(record.url()).isEqualTo("https://api.example.com/v1/data");
    assertThat(record.origin()).isEqualTo("https://api.example.com:443");
    assertThat(record.realm()).isEqualTo(Offers.REALM);
    assertThat(record.method()).isEqualTo("tempo");
    assertThat(record.intent()).isEqualTo("charge");
    assertThat(record.challengeId()).isEqualTo("c");
    assertThat(record.amount()).isEqualTo(BigInteger.valueOf(1_234_567));
    assertThat(record.currency()).isEqualTo(PATH_USD);
    assertThat(record.chainId()).isEqualTo(4217L);
    assertThat(record.decimals()).isEqualTo(6);
    assertThat(record.usdMicros()).isEqualTo(1_234_567);
    assertThat(record.agent()).isEqualTo("bot");
    assertThat(record.fleet()).isNull();
  }

  @Test
  void manyOrHugeOffersCannotBloatTheRationale() {
    Wallet wallet = wallet(Offers.usdRail()).build();
    List<Challenge> offers = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      offers.add(offer("x".repeat(10_000) + i, "test", Integer.toString(100 + i), "usd"));
    }

    var record = wallet.authorize(context("bot"), offers).record();

    assertThat(record.challengeId()).endsWith("x0");
    assertThat(record.rationale()).hasSizeLessThanOrEqualTo(4097).contains("and 83 more");
  }
}
