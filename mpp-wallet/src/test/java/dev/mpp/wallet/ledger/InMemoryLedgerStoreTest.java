package dev.mpp.wallet.ledger;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.PaymentFailedException;
import dev.mpp.wallet.testing.LedgerStoreContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory store against the same contract as the durable ones. */
class InMemoryLedgerStoreTest extends LedgerStoreContract {
  @Override
  protected LedgerStore newStore() {
    return new InMemoryLedgerStore();
  }

  @Test
  void aClosedStoreRefusesWork() {
    store.close();
    assertThatThrownBy(() -> store.reserve(nextHeld("a", null, 1, MIDNIGHT), List.of()))
        .isInstanceOf(PaymentFailedException.class);
    assertThatThrownBy(() -> store.query(LedgerQuery.all()))
        .isInstanceOf(IllegalStateException.class);
  }
}
