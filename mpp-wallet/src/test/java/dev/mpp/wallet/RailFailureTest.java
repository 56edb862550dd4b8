package dev.mpp.wallet;

import static dev.mpp.wallet.testing.Offers.context;
import static dev.mpp.wallet.testing.Offers.offer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentOutcomeUnknownException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.PaymentState;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Reserved;
import dev.mpp.wallet.ledger.Usage;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.testing.Offers;
import dev.mpp.wallet.testing.TestRail;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What the wallet does with the reservation when signing fails. */
class RailFailureTest {
  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();

  private Wallet failingWith(Supplier<? extends RuntimeException> failure) {
    return Wallet.builder()
        .ledger(ledger)
        .rail(TestRail.builder().asset("usd", 2).failWith(failure).build())
        .agent("bot", Policy.unlimited())
        .build();
  }

  private PaymentRecord onlyRecord() {
    List<PaymentRecord> records = ledger.query(LedgerQuery.all());
    assertThat(records).hasSize(1);
    return records.get(0);
  }

  @Test
  void anUntypedFailureReleasesAndIsReportedAsRailFailed() {
    Wallet wallet = failingWith(() -> new IllegalStateException("nonce too low: key=0xsecret"));

    assertThatThrownBy(
            () -> wallet.authorize(context("bot"), List.of(offer("a", "test", "5", "usd"))))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.RAIL_FAILED);
              assertThat(e.getMessage()).doesNotContain("0xsecret");
            });
    assertThat(onlyRecord().state()).isEqualTo(PaymentState.RELEASED);
    assertThat(onlyRecord().detail()).isEqualTo("rail failed: IllegalStateException");
  }

  @Test
  void aTypedFailurePassesThroughAndReleases() {
    Wallet wallet =
        failingWith(() -> new PaymentRefusedException(ErrorCode.UNSUPPORTED_REQUEST, "bad split"));

    assertThatThrownBy(
            () -> wallet.authorize(context("bot"), List.of(offer("a", "test", "5", "usd"))))
        .isInstanceOfSatisfying(
            PaymentRefusedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_REQUEST));
    assertThat(onlyRecord().state()).isEqualTo(PaymentState.RELEASED);
  }

  @Test
  void anUnknownOutcomeStaysCountedAndCarriesTheRecord() {
    Wallet wallet =
        failingWith(
            () -> new PaymentOutcomeUnknownException("broadcast not confirmed", null, null));

    assertThatThrownBy(
            () -> wallet.authorize(context("bot"), List.of(offer("a", "test", "5", "usd"))))
        .isInstanceOfSatisfying(
            PaymentOutcomeUnknownException.class,
            e -> {
              assertThat(e.record()).isPresent();
              assertThat(e.record().get().state()).isEqualTo(PaymentState.UNKNOWN);
            });
    assertThat(onlyRecord().state()).isEqualTo(PaymentState.UNKNOWN);
    assertThat(onlyRecord().detail()).isEqualTo("rail: broadcast not confirmed");
  }

  @Test
  void aLedgerThatCannotReserveStopsThePaymentBeforeSigning() {
    TestRail rail = Offers.usdRail();
    LedgerStore broken =
        new LedgerStore() {
          @Override
          public Reserved reserve(PaymentRecord record, List<Limit> limits) {
            throw new IllegalStateException("disk full");
          }

          @Override
          public PaymentRecord transition(
              String id, PaymentState s, String r, String h, String d, Instant at) {
            throw new AssertionError();
          }

          @Override
          public PaymentRecord capture(List<String> holdIds, PaymentRecord part) {
            throw new AssertionError();
          }

          @Override
          public Optional<PaymentRecord> find(String id) {
            return Optional.empty();
          }

          @Override
          public List<PaymentRecord> query(LedgerQuery query) {
            return List.of();
          }

          @Override
          public Usage usage(Limit.Scope scope, Instant since, String assetKey) {
            return Usage.NONE;
          }

          @Override
          public void close() {}
        };
    Wallet wallet =
        Wallet.builder().ledger(broken).rail(rail).agent("bot", Policy.unlimited()).build();

    assertThatThrownBy(
            () -> wallet.authorize(context("bot"), List.of(offer("a", "test", "5", "usd"))))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.LEDGER_FAILURE));
    assertThat(rail.payments()).isZero();
  }

  @Test
  void aLedgerThatFailsAfterPayingLeavesTheRecordHeldAndSaysSo() {
    InMemoryLedgerStore store = new InMemoryLedgerStore();
    Wallet wallet =
        Wallet.builder()
            .ledger(store)
            .rail(Offers.usdRail())
            .agent("bot", Policy.unlimited())
            .build();
    var auth = wallet.authorize(context("bot"), List.of(offer("a", "test", "5", "usd")));
    store.close();

    PaymentRecord result = auth.settle(200, null, null);

    assertThat(result.state()).isEqualTo(PaymentState.HELD);
    assertThat(result.detail()).startsWith("ledger update to PAID failed (IllegalStateException)");
  }
}
