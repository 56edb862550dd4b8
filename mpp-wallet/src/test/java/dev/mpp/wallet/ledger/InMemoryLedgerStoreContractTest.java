package dev.mpp.wallet.ledger;

/** The in-memory store against the same contract as the durable ones. */
class InMemoryLedgerStoreContractTest extends LedgerStoreContractTest {
  @Override
  LedgerStore newStore() {
    return new InMemoryLedgerStore();
  }
}
