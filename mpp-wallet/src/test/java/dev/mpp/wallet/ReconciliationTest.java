package dev.mpp.wallet;

import static dev.mpp.wallet.testing.Offers.context;
import static dev.mpp.wallet.testing.Offers.offer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Receipt;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.MutableClock;
import dev.mpp.wallet.testing.Offers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reserve, then exactly one of commit / release / unknown, then reconciliation. */
class ReconciliationTest {
  private final MutableClock clock = MutableClock.at("2026-04-01T10:00:00Z");
  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  private final AtomicInteger ids = new AtomicInteger();
  private final Wallet wallet =
      Wallet.builder()
          .ledger(ledger)
          .clock(clock)
          .rail(Offers.usdRail())
          .agent("bot", Policy.builder().cap(Window.DAY, "1.00").build())
          .build();

  private PaymentAuthorization authorize(String cents) {
    return wallet.authorize(
        context("bot"), List.of(offer("c" + ids.incrementAndGet(), "test", cents, "usd")));
  }

  static Receipt receipt(String reference, String challengeId) {
    var json =
        JsonNodeFactory.instance
            .objectNode()
            .put("status", "success")
            .put("method", "test")
            .put("reference", reference)
            .put("challengeId", challengeId)
            .put("timestamp", "2026-04-01T10:00:01Z");
    return Receipt.parse(
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(json.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private void assertDeniedFor(String cents) {
    assertThatThrownBy(() -> authorize(cents)).isInstanceOf(PaymentDeniedException.class);
  }

  @Test
  void settleCommitsWithTheReceipt() {
    PaymentAuthorization auth = authorize("40");
    clock.advance(Duration.ofSeconds(2));

    PaymentRecord paid = auth.settle(200, receipt("tx-1", "c1"), null);

    assertThat(paid.state()).isEqualTo(PaymentState.PAID);
    assertThat(paid.reference()).isEqualTo("tx-1");
    assertThat(paid.receipt()).hasValueSatisfying(r -> assertThat(r.reference()).isEqualTo("tx-1"));
    assertThat(paid.detail()).isEqualTo("HTTP 200");
    assertThat(paid.updatedAt()).isEqualTo(clock.instant());
    assertThat(paid.createdAt()).isEqualTo(clock.instant().minusSeconds(2));
    assertThat(wallet.record(paid.id())).contains(paid);
  }

  @Test
  void settleNotesAReceiptForAnotherChallengeOrNone() {
    assertThat(authorize("1").settle(200, receipt("tx", "other"), null).detail())
        .isEqualTo("HTTP 200; receipt names challenge other");
    assertThat(authorize("1").settle(200, null, "server sent no Payment-Receipt").detail())
        .isEqualTo("HTTP 200; server sent no Payment-Receipt");
  }

  @Test
  void onlyTheFirstOutcomeCounts() {
    PaymentAuthorization auth = authorize("40");
    PaymentRecord released = auth.release("invalid-challenge");

    assertThat(auth.settle(200, receipt("tx", "c1"), null)).isEqualTo(released);
    assertThat(auth.markUnknown("late")).isEqualTo(released);
    assertThat(wallet.record(released.id()).orElseThrow().state()).isEqualTo(PaymentState.RELEASED);
  }

  @Test
  void releaseFreesTheBudget() {
    authorize("100").release("verification-failed");
    authorize("100");
  }

  @Test
  void unknownKeepsCountingUntilReconciledAsReleased() {
    PaymentRecord unknown = authorize("100").markUnknown("connection reset after sending");
    assertThat(unknown.state()).isEqualTo(PaymentState.UNKNOWN);
    assertThat(unknown.detail()).isEqualTo("connection reset after sending");
    assertDeniedFor("1");

    PaymentRecord released = wallet.reconcileReleased(unknown.id(), "server has no such payment");

    assertThat(released.state()).isEqualTo(PaymentState.RELEASED);
    assertThat(released.detail()).isEqualTo("reconciled as released: server has no such payment");
    authorize("100");
  }

  @Test
  void unknownReconciledAsPaidKeepsCounting() {
    PaymentRecord unknown = authorize("100").markUnknown("timeout");

    PaymentRecord paid = wallet.reconcilePaid(unknown.id(), "0xabc");

    assertThat(paid.state()).isEqualTo(PaymentState.PAID);
    assertThat(paid.reference()).isEqualTo("0xabc");
    assertDeniedFor("1");
    assertThat(wallet.records(new LedgerQuery("bot", null, null, null, PaymentState.UNKNOWN, 0)))
        .isEmpty();
  }

  @Test
  void finishedRecordsCannotBeReconciledTheOtherWay() {
    PaymentRecord paid = authorize("10").settle(200, null, null);
    PaymentRecord released = authorize("10").release("rejected");

    assertThatThrownBy(() -> wallet.reconcileReleased(paid.id(), "oops"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> wallet.reconcilePaid(released.id(), "tx"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(wallet.reconcilePaid(paid.id(), "again").state()).isEqualTo(PaymentState.PAID);
    assertThatThrownBy(() -> wallet.reconcilePaid("nope", "tx"))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> wallet.reconcilePaid(paid.id(), " "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recordsAreQueryableByAgentAndTime() {
    authorize("1");
    clock.advance(Duration.ofHours(1));
    authorize("2");
    clock.advance(Duration.ofHours(1));
    authorize("3");

    List<PaymentRecord> middle =
        wallet.records(
            new LedgerQuery(
                "bot", null, clock.instant().minus(Duration.ofHours(1)), clock.instant(), null, 0));
    assertThat(middle).extracting(PaymentRecord::challengeId).containsExactly("c2");
    assertThat(wallet.records(LedgerQuery.agent("bot")))
        .extracting(PaymentRecord::challengeId)
        .containsExactly("c1", "c2", "c3");
    assertThat(wallet.records(LedgerQuery.agent("other"))).isEmpty();
  }

  @Test
  void railReferenceIsKeptWhenTheOutcomeIsUnknown() {
    var pushing = dev.mpp.wallet.testing.TestRail.builder().asset("usd", 2).build();
    var rail =
        new dev.mpp.wallet.rail.Rail() {
          @Override
          public String method() {
            return "test";
          }

          @Override
          public List<String> intents() {
            return List.of("charge");
          }

          @Override
          public dev.mpp.wallet.rail.Quote quote(dev.mpp.client.wire.Challenge c) {
            return pushing.quote(c);
          }

          @Override
          public dev.mpp.wallet.rail.RailPayment pay(
              dev.mpp.client.wire.Challenge c, dev.mpp.client.PaymentContext context) {
            return new dev.mpp.wallet.rail.RailPayment(
                JsonNodeFactory.instance.objectNode().put("hash", "0xfeed"), null, "0xfeed");
          }
        };
    Wallet pushWallet =
        Wallet.builder().ledger(ledger).rail(rail).agent("bot", Policy.unlimited()).build();

    PaymentRecord unknown =
        pushWallet
            .authorize(context("bot"), List.of(offer("p", "test", "5", "usd")))
            .markUnknown("HTTP 502 after the credential was sent");

    assertThat(unknown.reference()).isEqualTo("0xfeed");
  }
}
