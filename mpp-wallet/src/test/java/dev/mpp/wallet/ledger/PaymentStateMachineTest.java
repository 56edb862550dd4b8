package dev.mpp.wallet.ledger;

import static dev.mpp.wallet.testing.TestRecords.T0;
import static dev.mpp.wallet.testing.TestRecords.held;
import static dev.mpp.wallet.testing.TestRecords.heldAsset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import java.math.BigInteger;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaymentStateMachineTest {

  private static final PaymentState HELD = PaymentState.HELD;
  private static final PaymentState PAID = PaymentState.PAID;
  private static final PaymentState RELEASED = PaymentState.RELEASED;
  private static final PaymentState UNKNOWN = PaymentState.UNKNOWN;

  @Test
  void exactlyTheDocumentedMovesAreAllowed() {
    Set<String> allowed = new java.util.TreeSet<>();
    for (PaymentState from : PaymentState.values()) {
      for (PaymentState to : PaymentState.values()) {
        if (PaymentStateMachine.allowed(from, to)) {
          allowed.add(from + ">" + to);
        }
      }
    }
    assertThat(allowed)
        .containsExactly(
            "HELD>PAID", "HELD>RELEASED", "HELD>UNKNOWN", "UNKNOWN>PAID", "UNKNOWN>RELEASED");
  }

  @Test
  void sourcesAreTheStatesAllowedToMoveThere() {
    assertThat(PaymentStateMachine.sourcesOf(PAID)).isEqualTo(EnumSet.of(HELD, UNKNOWN));
    assertThat(PaymentStateMachine.sourcesOf(RELEASED)).isEqualTo(EnumSet.of(HELD, UNKNOWN));
    assertThat(PaymentStateMachine.sourcesOf(UNKNOWN)).isEqualTo(EnumSet.of(HELD));
    assertThat(PaymentStateMachine.sourcesOf(HELD)).isEmpty();
  }

  @Test
  void aMoveKeepsCurrentValuesWhereNullIsGiven() {
    PaymentRecord unknown =
        PaymentStateMachine.transition(
            held("r", "bot", null, 5, T0), UNKNOWN, "0xref", null, "reset", T0.plusSeconds(1));

    PaymentRecord paid =
        PaymentStateMachine.transition(unknown, PAID, null, "receipt", null, T0.plusSeconds(2));

    assertThat(paid)
        .isEqualTo(unknown.withState(PAID, "0xref", "receipt", "reset", T0.plusSeconds(2)));
  }

  @Test
  void theSameStateReturnsTheRecordItself() {
    PaymentRecord record = held("r", "bot", null, 5, T0);

    assertThat(PaymentStateMachine.transition(record, HELD, "x", "y", "z", T0.plusSeconds(1)))
        .isSameAs(record);
  }

  @Test
  void aForbiddenMoveNamesTheRecordAndBothStates() {
    PaymentRecord paid = held("r-9", "bot", null, 5, T0).withState(PAID, null, null, null, T0);

    assertThatThrownBy(() -> PaymentStateMachine.transition(paid, RELEASED, null, null, null, T0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("record r-9 cannot move from PAID to RELEASED");
  }

  @Test
  void aReservationMustBeHeldWithNonNegativeValues() {
    PaymentRecord record = held("r", "bot", null, 5, T0);
    PaymentStateMachine.requireReservable(record);

    assertThatThrownBy(
            () ->
                PaymentStateMachine.requireReservable(
                    record.withState(UNKNOWN, null, null, null, T0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UNKNOWN");
    PaymentRecord negative =
        heldAsset("n", "bot", null, "stripe", "usd", null, 2, BigInteger.ONE, -1, T0);
    assertThatThrownBy(() -> PaymentStateMachine.requireReservable(negative))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }
}
