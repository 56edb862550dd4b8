package dev.mpp.bench.memory;

import dev.mpp.bench.Machine;
import dev.mpp.bench.Report;
import dev.mpp.bench.Stats;
import dev.mpp.bench.TempFiles;
import dev.mpp.bench.overhead.TempoFixture;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.ledger.jdbc.SqliteLedgerStore;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.price.Prices;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Heap retained by an idle wallet and by 10,000 ledger records: live heap after full collections
 * with the objects reachable, minus live heap before, divided by the count. Repeated to show the
 * spread. Wallets: the client-overhead fixture's (Tempo rail with fixed gas, one agent policy) over
 * an in-memory store and over a SQLite file. Records: paid records shaped like the wallet's (UUID
 * id, URL, rationale, receipt header) in the in-memory store, which keeps every record on the heap,
 * and in the SQLite store, which keeps none (its page cache is native memory).
 *
 * <p>Run in a JVM of its own for clean figures ({@code java -jar mpp-benchmarks.jar memory}).
 */
public final class MemoryBenchmark {
  private static final int RECORDS = 10_000;

  private MemoryBenchmark() {}

  /** Measures and reports. */
  public static void run(boolean smoke, Report report) throws InterruptedException {
    int repeats = Integer.getInteger("bench.memory.repeats", smoke ? 1 : 5);
    int wallets = smoke ? 50 : 1_000;
    int sqliteWallets = smoke ? 2 : 20;
    report.line("== 4a. memory: heap retained (live heap after full GC)");
    report.line(
        Machine.describe()
            + ", max heap "
            + Runtime.getRuntime().maxMemory() / (1 << 20)
            + " MiB, GC "
            + gcNames());
    report.line(
        "idle wallet, in-memory ledger:   "
            + perItem(repeats, wallets, i -> TempoFixture.wallet(new InMemoryLedgerStore()))
                .format(0)
            + " bytes per wallet ("
            + wallets
            + " wallets per measurement)");
    List<Path> dirs = new ArrayList<>();
    try {
      Stats sqlite =
          perItem(
              repeats,
              sqliteWallets,
              i -> {
                Path dir = TempFiles.directory("mpp-memory-bench");
                dirs.add(dir);
                return TempoFixture.wallet(SqliteLedgerStore.open(dir.resolve("ledger.db")));
              },
              held -> held.forEach(w -> ((Wallet) w).close()));
      report.line(
          "idle wallet, SQLite ledger:      "
              + sqlite.format(0)
              + " bytes per wallet ("
              + sqliteWallets
              + " wallets per measurement; connections, statements, writer thread)");
    } finally {
      dirs.forEach(TempFiles::delete);
    }
    report.line(
        "10,000 records, in-memory store: "
            + records(repeats, () -> new InMemoryLedgerStore()).format(0)
            + " bytes (the store keeps every record on the heap)");
    Path dir = TempFiles.directory("mpp-memory-bench");
    try {
      int[] n = {0};
      report.line(
          "10,000 records, SQLite store:    "
              + records(repeats, () -> SqliteLedgerStore.open(dir.resolve("l" + n[0]++ + ".db")))
                  .format(0)
              + " bytes (nothing cached on the heap; SQLite's page cache is native memory)");
    } finally {
      TempFiles.delete(dir);
    }
  }

  private static Stats perItem(int repeats, int count, IntFunction<Object> make)
      throws InterruptedException {
    return perItem(repeats, count, make, held -> {});
  }

  private static Stats perItem(
      int repeats,
      int count,
      IntFunction<Object> make,
      java.util.function.Consumer<List<Object>> release)
      throws InterruptedException {
    // Class loading and static tables belong to the first instance only: load them first.
    List<Object> warm = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      warm.add(make.apply(i));
    }
    release.accept(warm);
    double[] bytes = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      List<Object> held = new ArrayList<>(count);
      long before = liveHeap();
      for (int i = 0; i < count; i++) {
        held.add(make.apply(i));
      }
      long after = liveHeap();
      bytes[r] = (after - before) / (double) count;
      release.accept(held);
      held.clear();
    }
    return Stats.of(bytes);
  }

  private static Stats records(int repeats, java.util.function.Supplier<LedgerStore> open)
      throws InterruptedException {
    double[] bytes = new double[repeats];
    for (int r = -1; r < repeats; r++) { // round -1 loads the classes and is not counted
      try (LedgerStore store = open.get()) {
        long before = liveHeap();
        Instant now = Instant.now();
        for (int i = 0; i < RECORDS; i++) {
          PaymentRecord record = record(now);
          store.reserve(record, List.of());
          store.transition(record.id(), PaymentState.PAID, REFERENCE, RECEIPT, null, now);
        }
        long after = liveHeap();
        if (r >= 0) {
          bytes[r] = after - before;
        }
      }
    }
    return Stats.of(bytes);
  }

  private static final String REFERENCE =
      "0x7298d5990d5c1d1f0ec36ad3a1b4dfe4b0bbac07d2b8e6e1b2d6d3b0ac9fb5e5";
  private static final String RECEIPT =
      "eyJtZXRob2QiOiJ0ZW1wbyIsInN0YXR1cyI6InN1Y2Nlc3MiLCJ0aW1lc3RhbXAiOiIyMDI2LTExLTI1VDE4OjA2O"
          + "jU4LjQ0MloiLCJyZWZlcmVuY2UiOiIweDcyOThkNTk5MGQ1YzFkMWYwZWMzNmFkM2ExYjRkZmU0YjBiYmFjMD"
          + "dkMmI4ZTZlMWIyZDZkM2IwYWM5ZmI1ZTUifQ";

  /** A record as the wallet writes it: fresh strings per record, like real traffic. */
  private static PaymentRecord record(Instant at) {
    String id = UUID.randomUUID().toString();
    String challengeId = UUID.randomUUID().toString().replace("-", "");
    return new PaymentRecord(
        id,
        "agent-1",
        null,
        at,
        at,
        "https://api.example.com/v1/reports/" + id.substring(0, 8),
        "https://api.example.com",
        "api.example.com",
        "tempo",
        "charge",
        challengeId,
        BigInteger.valueOf(10_000),
        Prices.PATH_USD,
        4217L,
        6,
        10_000,
        0,
        PaymentState.HELD,
        null,
        null,
        "chose #1 tempo/charge (challenge " + challengeId + ") via tempo: only payable offer",
        null);
  }

  /** Live heap: used heap after collections settle. */
  private static long liveHeap() throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(20);
      best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return best;
  }

  private static String gcNames() {
    return String.join(
        "+",
        ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList());
  }
}
