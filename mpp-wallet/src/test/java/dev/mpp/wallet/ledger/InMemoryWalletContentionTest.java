package dev.mpp.wallet.ledger;

class InMemoryWalletContentionTest extends WalletContentionContract {
  @Override
  protected LedgerStore newStore() {
    return new InMemoryLedgerStore();
  }
}
