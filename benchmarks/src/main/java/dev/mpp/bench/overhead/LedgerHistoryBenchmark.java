package dev.mpp.bench.overhead;

import dev.mpp.bench.TempFiles;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.ledger.jdbc.SqliteLedgerStore;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How one reserve + commit under a daily cap depends on the records already in the day's window:
 * the in-memory store sums them on every reservation, the SQLite store reads bucket aggregates. The
 * store is filled once per trial with {@code history} paid records (SQLite: written with {@code
 * synchronous=NORMAL}, then reopened with the durable default); the short iterations add a few
 * hundred more at most.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, batchSize = LedgerHistoryBenchmark.BATCH)
@Measurement(iterations = 7, batchSize = LedgerHistoryBenchmark.BATCH)
@Fork(1)
@State(Scope.Thread)
public class LedgerHistoryBenchmark {
  /** Operations per iteration. */
  public static final int BATCH = 200;

  @Param({"memory", "sqlite"})
  public String store;

  @Param({"1000", "10000", "100000"})
  public int history;

  private Path dir;
  private LedgerStore ledger;

  /**
   * SQLite: a store holding {@code history} paid records of the benchmark agent, made today,
   * written with {@code synchronous=NORMAL} and reopened with the durable default; the iterations
   * add 2,400 more (a bucketed window does not care).
   */
  @Setup(Level.Trial)
  public void fillSqlite() {
    dir = TempFiles.directory("mpp-bench-history");
    if (store.equals("sqlite")) {
      Path file = dir.resolve("ledger.db");
      ledger =
          SqliteLedgerStore.builder(file).synchronous(SqliteLedgerStore.Synchronous.NORMAL).open();
      fill(ledger);
      ledger.close();
      ledger = SqliteLedgerStore.open(file);
    }
  }

  /**
   * In memory: a fresh store of {@code history} records every iteration, because the fast operation
   * would otherwise add tens of thousands of records per iteration.
   */
  @Setup(Level.Iteration)
  public void fillMemory() {
    if (store.equals("memory")) {
      ledger = new InMemoryLedgerStore();
      fill(ledger);
    }
  }

  private void fill(LedgerStore target) {
    Instant now = Instant.now();
    for (int i = 0; i < history; i++) {
      PaymentRecord record = TempoFixture.held(now);
      target.reserve(record, List.of());
      target.transition(record.id(), PaymentState.PAID, "0xref", "receipt", null, now);
    }
  }

  /** Closes and deletes the store. */
  @TearDown(Level.Trial)
  public void close() {
    ledger.close();
    TempFiles.delete(dir);
  }

  /** One reservation under the wallet's limits, and its commit. */
  @Benchmark
  public Object reserveCommit() {
    Instant now = Instant.now();
    PaymentRecord held = TempoFixture.held(now);
    ledger.reserve(held, TempoFixture.limits(now));
    return ledger.transition(held.id(), PaymentState.PAID, "0xref", "receipt", null, now);
  }
}
