package dev.mpp.wallet;

import static dev.mpp.wallet.testing.Offers.context;
import static dev.mpp.wallet.testing.Offers.offer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.RailPayment;
import dev.mpp.wallet.testing.ForwardingRail;
import dev.mpp.wallet.testing.Offers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rail that settles before the credential is sent (push mode) has moved money even when the
 * server then rejects the credential "before settlement": such a rejection must never free the
 * budget.
 */
class PushedPaymentRejectionTest {

  /** Settles on its own, like a pushed transaction, and says so. */
  private static class PushingRail extends ForwardingRail {
    PushingRail() {
      super(Offers.usdRail());
    }

    @Override
    public RailPayment pay(Challenge challenge, PaymentContext context) {
      RailPayment paid = super.pay(challenge, context);
      return new RailPayment(paid.payload(), paid.source(), "0xpushed-" + challenge.id(), true);
    }
  }

  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  private final Wallet wallet =
      Wallet.builder()
          .ledger(ledger)
          .rail(new PushingRail())
          .agent("bot", Policy.builder().cap(Window.DAY, "0.10").build())
          .build();

  @Test
  void rejectionOfAPushedPaymentKeepsItCountedWithItsReference() {
    PaymentAuthorization auth =
        wallet.authorize(context("bot"), List.of(offer("c1", "test", "6", "usd")));

    PaymentRecord record = auth.release("credential rejected with 402 invalid-challenge");

    assertThat(record.state()).isEqualTo(PaymentState.UNKNOWN);
    assertThat(record.reference()).isEqualTo("0xpushed-c1");
    assertThat(record.detail()).contains("invalid-challenge").contains("already settled");
    // 0.06 still counts: a second 0.06 payment would exceed the 0.10 cap.
    assertThat(wallet.budget("bot").lines().get(0).unknown()).isEqualByComparingTo("0.06");
  }

  @Test
  void aReferenceKnownBeforeSettlementIsNotASettlement() {
    // An unsponsored Tempo pull knows its transaction hash before the server broadcasts it.
    Rail pulling =
        new PushingRail() {
          @Override
          public RailPayment pay(Challenge challenge, PaymentContext context) {
            RailPayment signed = super.pay(challenge, context);
            return new RailPayment(signed.payload(), signed.source(), signed.reference(), false);
          }
        };
    Wallet plain =
        Wallet.builder()
            .ledger(new InMemoryLedgerStore())
            .rail(pulling)
            .agent("bot", Policy.unlimited())
            .build();
    PaymentAuthorization auth =
        plain.authorize(context("bot"), List.of(offer("c3", "test", "6", "usd")));

    assertThat(auth.release("credential rejected with 402 invalid-challenge").state())
        .isEqualTo(PaymentState.RELEASED);
  }

  @Test
  void aRailWithoutPreSettlementReferenceIsReleasedAsBefore() {
    Wallet plain =
        Wallet.builder()
            .ledger(new InMemoryLedgerStore())
            .rail(Offers.usdRail())
            .agent("bot", Policy.unlimited())
            .build();
    PaymentAuthorization auth =
        plain.authorize(context("bot"), List.of(offer("c2", "test", "6", "usd")));

    assertThat(auth.release("rejected").state()).isEqualTo(PaymentState.RELEASED);
  }
}
