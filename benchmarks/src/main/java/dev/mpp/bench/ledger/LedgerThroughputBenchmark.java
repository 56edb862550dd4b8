package dev.mpp.bench.ledger;

import dev.mpp.bench.Machine;
import dev.mpp.bench.Report;
import dev.mpp.bench.Stats;
import dev.mpp.bench.TempFiles;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.ledger.jdbc.PostgresLedgerStore;
import dev.mpp.ledger.jdbc.SqliteLedgerStore;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Ledger throughput: reserve + commit pairs per second from 16 threads — the workload of {@code
 * mpp-wallet}'s {@code LedgerBenchmark} (each thread its own agent, all in one fleet; an agent
 * day-window cap and a fleet day-window cap, both far away so every reservation runs the full
 * check), measured in several consecutive windows after a warm-up so that the spread is visible.
 *
 * <p>Stores: {@code sqlite} (durable default, {@code synchronous=FULL}), {@code postgres} (needs
 * {@code MPP_TEST_PG_URL}: {@code .ci/postgres.sh start && source target/pg.env}); optional {@code
 * sqlite-normal} and {@code memory}. Settings: {@code -Dbench.ledger.stores=sqlite,postgres},
 * {@code -Dbench.ledger.threads=16}, {@code -Dbench.ledger.windows=5}, {@code
 * -Dbench.ledger.seconds=4} (per window), {@code -Dbench.ledger.warmup=3}, {@code
 * -Dbench.ledger.pgPool=4}.
 */
public final class LedgerThroughputBenchmark {
  /** The environment variable holding the PostgreSQL JDBC URL (as for the ledger tests). */
  public static final String PG_ENV = "MPP_TEST_PG_URL";

  private LedgerThroughputBenchmark() {}

  /** Runs every configured store. */
  public static void run(boolean smoke, Report report) throws InterruptedException {
    String stores = System.getProperty("bench.ledger.stores", "sqlite,postgres");
    int threads = Integer.getInteger("bench.ledger.threads", 16);
    int windows = Integer.getInteger("bench.ledger.windows", smoke ? 1 : 5);
    int seconds = Integer.getInteger("bench.ledger.seconds", smoke ? 1 : 4);
    int warmup = Integer.getInteger("bench.ledger.warmup", smoke ? 1 : 3);
    report.line("== 3. ledger throughput: reserve+commit per second");
    report.line(Machine.describe());
    report.line(
        String.format(
            Locale.ROOT,
            "%d threads, %d s warm-up, %d window(s) of %d s; agent + fleet day caps checked on"
                + " every reservation",
            threads,
            warmup,
            windows,
            seconds));
    for (String name : stores.split(",")) {
      name = name.trim();
      if (name.equals("postgres") && System.getenv(PG_ENV) == null) {
        report.line(
            "postgres: skipped, "
                + PG_ENV
                + " not set (.ci/postgres.sh start && source target/pg.env)");
        continue;
      }
      Path dir = TempFiles.directory("mpp-ledger-bench");
      try (LedgerStore store = open(name, dir)) {
        measure(name, store, threads, warmup, windows, seconds, report);
      } finally {
        TempFiles.delete(dir);
      }
    }
    report.line("goals: sqlite ≥ 5,000/s, postgres ≥ 2,000/s");
  }

  private static LedgerStore open(String name, Path dir) {
    return switch (name) {
      case "sqlite" -> SqliteLedgerStore.open(dir.resolve("ledger.db"));
      case "sqlite-normal" ->
          SqliteLedgerStore.builder(dir.resolve("ledger.db"))
              .synchronous(SqliteLedgerStore.Synchronous.NORMAL)
              .open();
      case "memory" -> new InMemoryLedgerStore();
      case "postgres" -> postgres();
      default -> throw new IllegalArgumentException("unknown store " + name);
    };
  }

  /** A fresh schema per run, so earlier runs' rows neither help nor hurt. */
  private static LedgerStore postgres() {
    String url = System.getenv(PG_ENV);
    String schema = "bench_" + Long.toHexString(System.nanoTime());
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a schema in " + PG_ENV, e);
    }
    return PostgresLedgerStore.builder(url)
        .property("currentSchema", schema)
        .poolSize(Integer.getInteger("bench.ledger.pgPool", 4))
        .open();
  }

  private static void measure(
      String name,
      LedgerStore store,
      int threads,
      int warmup,
      int windows,
      int seconds,
      Report report)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    LongAdder pairs = new LongAdder();
    LongAdder latencyNanos = new LongAdder();
    AtomicLong errors = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String agent = "agent-" + t;
      String prefix = name + "-" + t + "-";
      Thread worker =
          new Thread(
              () -> {
                Limit.Scope agentScope = Limit.Scope.agent(agent);
                Limit.Scope fleetScope = Limit.Scope.fleet("bench");
                for (long i = 0; !stop.get(); i++) {
                  Instant now = Instant.now();
                  Instant since = now.minus(Duration.ofDays(1));
                  List<Limit> limits =
                      List.of(
                          new Limit(
                              "agent/day", agentScope, since, Long.MAX_VALUE / 4, null, null, null),
                          new Limit(
                              "fleet/day",
                              fleetScope,
                              since,
                              Long.MAX_VALUE / 4,
                              null,
                              null,
                              null));
                  String id = prefix + i;
                  long start = System.nanoTime();
                  try {
                    store.reserve(held(id, agent, now), limits);
                    store.transition(id, PaymentState.PAID, "0xref", "receipt", null, now);
                  } catch (RuntimeException e) {
                    errors.incrementAndGet();
                    continue;
                  }
                  pairs.increment();
                  latencyNanos.add(System.nanoTime() - start);
                }
              },
              "ledger-bench-" + t);
      workers.add(worker);
      worker.start();
    }
    Thread.sleep(warmup * 1_000L);
    double[] rates = new double[windows];
    double[] latencies = new double[windows];
    for (int w = 0; w < windows; w++) {
      long before = pairs.sum();
      long latencyBefore = latencyNanos.sum();
      long begin = System.nanoTime();
      Thread.sleep(seconds * 1_000L);
      long n = pairs.sum() - before;
      long elapsed = System.nanoTime() - begin;
      rates[w] = n / (elapsed / 1e9);
      latencies[w] = n == 0 ? 0 : (latencyNanos.sum() - latencyBefore) / 1e6 / n;
    }
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    report.line(
        String.format(
            Locale.ROOT,
            "%-14s %s reserve+commit/s   mean latency %s ms   (windows: %s; %d errors)",
            name,
            Stats.of(rates).format(0),
            Stats.of(latencies).format(2),
            Arrays.toString(Arrays.stream(rates).mapToLong(Math::round).toArray()),
            errors.get()));
  }

  private static PaymentRecord held(String id, String agent, Instant at) {
    return new PaymentRecord(
        id,
        agent,
        "bench",
        at,
        at,
        "https://api.example.test/v1/items",
        "https://api.example.test",
        "api.example.test",
        "tempo",
        "charge",
        "ch-" + id,
        BigInteger.valueOf(1_000),
        "0x20c0000000000000000000000000000000000000",
        4217L,
        6,
        1_000,
        17,
        PaymentState.HELD,
        null,
        null,
        "chose #1 tempo/charge via tempo: only payable offer",
        null);
  }
}
