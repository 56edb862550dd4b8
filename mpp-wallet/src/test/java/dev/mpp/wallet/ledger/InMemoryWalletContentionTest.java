package dev.mpp.wallet.ledger;

import dev.mpp.wallet.testing.WalletContentionContract;

class InMemoryWalletContentionTest extends WalletContentionContract {
  @Override
  protected LedgerStore newStore() {
    return new InMemoryLedgerStore();
  }
}
