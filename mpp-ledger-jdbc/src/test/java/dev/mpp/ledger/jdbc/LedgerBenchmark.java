package dev.mpp.ledger.jdbc;

import dev.mpp.client.PaymentState;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.testing.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Reserve + commit throughput of the durable stores: {@code threads} threads, each reserving a
 * payment under an agent window cap and a fleet cap (both far away, so every reservation runs the
 * full check) and committing it, for a fixed time after a warm-up. Prints figures, asserts nothing.
 *
 * <p>Run (see {@code mpp-ledger-jdbc/LEDGER.md}):
 *
 * <pre>
 * .ci/postgres.sh start &amp;&amp; source target/pg.env   # for the PostgreSQL figures
 * mvn -B -ntp -o -q -pl mpp-wallet -am -Pledger-benchmark test-compile
 * </pre>
 *
 * Arguments: {@code [stores=sqlite,sqlite-normal,postgres] [threads=16] [seconds=10]}.
 */
public final class LedgerBenchmark {

  private LedgerBenchmark() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    String stores = args.length > 0 ? args[0] : "sqlite,sqlite-normal,postgres";
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    System.out.printf(
        Locale.ROOT,
        "ledger benchmark: %d threads, %d s measured after %d s warm-up, %d cores%n",
        threads,
        seconds,
        3,
        Runtime.getRuntime().availableProcessors());
    for (String name : stores.split(",")) {
      Path dir = Files.createTempDirectory("mpp-ledger-bench");
      Supplier<LedgerStore> open =
          switch (name) {
            case "sqlite" -> () -> SqliteLedgerStore.open(dir.resolve("bench.db"));
            case "sqlite-normal" ->
                () ->
                    SqliteLedgerStore.builder(dir.resolve("bench.db"))
                        .synchronous(SqliteLedgerStore.Synchronous.NORMAL)
                        .open();
            case "postgres" -> LedgerBenchmark::postgres;
            default -> throw new IllegalArgumentException("unknown store " + name);
          };
      if (name.equals("postgres") && System.getenv(PgTestDatabase.ENV) == null) {
        System.out.println(
            "postgres: skipped, "
                + PgTestDatabase.ENV
                + " not set (.ci/postgres.sh start && source target/pg.env)");
        continue;
      }
      try (LedgerStore store = open.get()) {
        run(name, store, threads, seconds);
      }
    }
  }

  private static long[] stats(LedgerStore store) {
    return store instanceof JdbcLedgerStore jdbc ? jdbc.writerStats() : new long[2];
  }

  private static LedgerStore postgres() {
    String schema = "bench_" + Long.toHexString(System.nanoTime());
    try (Connection connection = DriverManager.getConnection(System.getenv(PgTestDatabase.ENV));
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return PostgresLedgerStore.builder(System.getenv(PgTestDatabase.ENV))
        .property("currentSchema", schema)
        .poolSize(8)
        .open();
  }

  private static void run(String name, LedgerStore store, int threads, int seconds)
      throws InterruptedException {
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong pairs = new AtomicLong();
    AtomicLong latencyNanos = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch(threads);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker =
          new Thread(
              () -> {
                String agent = "agent-" + thread;
                Limit.Scope agentScope = Limit.Scope.agent(agent);
                Limit.Scope fleetScope = Limit.Scope.fleet("bench");
                long i = 0;
                while (!stop.get()) {
                  Instant now = Instant.now();
                  List<Limit> limits =
                      List.of(
                          new Limit(
                              "agent/day",
                              agentScope,
                              now.minus(Duration.ofDays(1)),
                              Long.MAX_VALUE / 4,
                              null,
                              null,
                              null),
                          new Limit(
                              "fleet/day",
                              fleetScope,
                              now.minus(Duration.ofDays(1)),
                              Long.MAX_VALUE / 4,
                              null,
                              null,
                              null));
                  String id = name + "-" + thread + "-" + i++;
                  long start = System.nanoTime();
                  try {
                    store.reserve(TestRecords.held(id, agent, "bench", 1_000, now), limits);
                    store.transition(id, PaymentState.PAID, "0xref", "receipt", null, now);
                  } catch (RuntimeException e) {
                    errors.incrementAndGet();
                    continue;
                  }
                  if (measuring.get()) {
                    pairs.incrementAndGet();
                    latencyNanos.addAndGet(System.nanoTime() - start);
                  }
                }
                done.countDown();
              },
              "bench-" + t);
      workers.add(worker);
      worker.start();
    }
    Thread.sleep(3_000);
    long[] statsBefore = stats(store);
    measuring.set(true);
    long begin = System.nanoTime();
    Thread.sleep(seconds * 1_000L);
    measuring.set(false);
    long[] statsAfter = stats(store);
    long elapsed = System.nanoTime() - begin;
    stop.set(true);
    done.await();
    long n = pairs.get();
    System.out.printf(
        Locale.ROOT,
        "%-14s %8.0f reserve+commit/s  mean latency %6.2f ms  mean batch %5.1f writes"
            + "  (%d pairs, %d errors, %d rows)%n",
        name,
        n / (elapsed / 1e9),
        n == 0 ? 0.0 : latencyNanos.get() / 1e6 / n,
        (statsAfter[0] - statsBefore[0]) / Math.max(1.0, statsAfter[1] - statsBefore[1]),
        n,
        errors.get(),
        store.query(new LedgerQuery(null, "bench", null, null, null, 0)).size());
  }
}
