package dev.mpp.wallet.ledger;

import dev.mpp.wallet.testing.LedgerStoreContractTest;

/** The in-memory store against the same contract as the durable ones. */
class InMemoryLedgerStoreContractTest extends LedgerStoreContractTest {
  @Override
  protected LedgerStore newStore() {
    return new InMemoryLedgerStore();
  }
}
