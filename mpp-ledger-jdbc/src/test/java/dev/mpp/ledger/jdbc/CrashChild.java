package dev.mpp.ledger.jdbc;

import dev.mpp.client.PaymentState;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.testing.TestRecords;
import java.util.List;

/**
 * Child JVM for the store-level crash tests: reserves one payment under a cap, optionally marks it
 * UNKNOWN (the credential went out and no answer came), prints {@code READY} and waits to be
 * killed. Arguments: {@code <store spec> <id> <reserved|unknown>}.
 */
final class CrashChild {
  static final String AGENT = "crash-bot";
  static final long AMOUNT = 600;
  static final long CAP = 1000;

  private CrashChild() {}

  static Limit cap() {
    return new Limit(
        "agent:crash-bot/total", Limit.Scope.agent(AGENT), null, CAP, null, null, null);
  }

  public static void main(String[] args) throws Exception {
    LedgerStore store = StoreSpec.open(args[0]);
    String id = args[1];
    store.reserve(TestRecords.held(id, AGENT, null, AMOUNT, TestRecords.T0), List.of(cap()));
    if (args[2].equals("unknown")) {
      store.transition(id, PaymentState.UNKNOWN, null, null, "sent, no answer", TestRecords.T0);
    }
    System.out.println("READY " + id);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE); // killed here, store never closed
  }
}
