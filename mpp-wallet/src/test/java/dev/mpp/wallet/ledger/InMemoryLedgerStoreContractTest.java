package dev.mpp.wallet.ledger;

/** The ledger contract for the in-memory store. */
class InMemoryLedgerStoreContractTest extends LedgerStoreContractTest {
  @Override
  LedgerStore newStore() {
    return new InMemoryLedgerStore();
  }
}
