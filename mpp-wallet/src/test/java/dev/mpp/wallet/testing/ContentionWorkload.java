package dev.mpp.wallet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many threads (and possibly processes) reserving random amounts against shared caps, committing
 * what was reserved. The same workload runs in a child JVM for the cross-process tests, so every
 * number here is fixed by the seed.
 */
public final class ContentionWorkload {
  public static final String FLEET = "fleet-contention";
  public static final int AGENTS = 8;
  public static final long FLEET_CAP = 10_000_000;
  public static final long AGENT_CAP = 1_500_000;
  public static final long MAX_AMOUNT = 10_000;
  public static final Instant WINDOW_START = Instant.parse("2000-01-01T00:00:00Z");

  private final String prefix;
  private final long seed;

  private ContentionWorkload(String prefix, long seed) {
    this.prefix = prefix;
    this.seed = seed;
  }

  /** The workload whose record ids start with {@code prefix}. */
  public static ContentionWorkload standard(String prefix, long seed) {
    return new ContentionWorkload(prefix, seed);
  }

  /** What one process saw. */
  public record Result(long paid, long denied, List<String> errors) {}

  /** Runs {@code threads × attempts} reserve-then-commit attempts and waits for all of them. */
  public Result run(LedgerStore store, int threads, int attempts) throws InterruptedException {
    return run(store, threads, attempts, new CountDownLatch(1));
  }

  /**
   * As {@link #run(LedgerStore, int, int)}, counting {@code firstPaid} down at the first commit.
   */
  public Result run(LedgerStore store, int threads, int attempts, CountDownLatch firstPaid)
      throws InterruptedException {
    AtomicLong paid = new AtomicLong();
    AtomicLong denied = new AtomicLong();
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      pool.execute(
          () -> {
            Random random = new Random(seed * 1_000_003L + thread);
            try {
              start.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
            for (int i = 0; i < attempts; i++) {
              String agent = "agent-" + random.nextInt(AGENTS);
              long amount = 1 + random.nextInt((int) MAX_AMOUNT);
              PaymentRecord record =
                  TestRecords.held(
                      prefix + "-" + thread + "-" + i, agent, FLEET, amount, Instant.now());
              try {
                store.reserve(
                    record,
                    List.of(
                        new Limit(
                            "agent:" + agent + "/window",
                            Limit.Scope.agent(agent),
                            WINDOW_START,
                            AGENT_CAP,
                            null,
                            null,
                            null),
                        new Limit(
                            "fleet:" + FLEET + "/total",
                            Limit.Scope.fleet(FLEET),
                            null,
                            FLEET_CAP,
                            null,
                            null,
                            null)));
              } catch (PaymentDeniedException e) {
                denied.incrementAndGet();
                continue;
              } catch (RuntimeException e) {
                errors.add(record.id() + ": reserve: " + e);
                continue;
              }
              try {
                store.transition(
                    record.id(), PaymentState.PAID, "0x" + i, null, null, Instant.now());
                paid.incrementAndGet();
                firstPaid.countDown();
              } catch (RuntimeException e) {
                errors.add(record.id() + ": commit: " + e);
              }
            }
          });
    }
    start.countDown();
    pool.shutdown();
    if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
      pool.shutdownNow();
      errors.add("workers still running after 10 minutes: deadlock?");
    }
    return new Result(paid.get(), denied.get(), List.copyOf(errors));
  }

  /** Checks the caps and the bookkeeping after every process's run finished. */
  public static void verify(LedgerStore store, List<Result> results, long attempts) {
    long paid = 0;
    long denied = 0;
    for (Result result : results) {
      assertThat(result.errors()).as("errors").isEmpty();
      paid += result.paid();
      denied += result.denied();
    }
    assertThat(paid + denied).as("every attempt ends paid or denied").isEqualTo(attempts);
    assertThat(paid).isPositive();
    assertThat(denied).isPositive();

    List<PaymentRecord> records = store.query(new LedgerQuery(null, FLEET, null, null, null, 0));
    long fleetSpent = 0;
    Map<String, Long> agentSpent = new HashMap<>();
    for (PaymentRecord record : records) {
      assertThat(record.state()).as(record.id()).isEqualTo(PaymentState.PAID);
      fleetSpent += record.usdMicros();
      agentSpent.merge(record.agent(), record.usdMicros(), Long::sum);
    }
    assertThat(records).hasSize((int) paid);
    assertThat(fleetSpent).as("fleet spend").isLessThanOrEqualTo(FLEET_CAP);
    // denials only when needed: the fleet cap was filled up to less than one payment
    assertThat(fleetSpent).as("fleet spend").isGreaterThan(FLEET_CAP - MAX_AMOUNT);
    for (Map.Entry<String, Long> agent : agentSpent.entrySet()) {
      assertThat(agent.getValue()).as(agent.getKey()).isLessThanOrEqualTo(AGENT_CAP);
      assertThat(store.usage(Limit.Scope.agent(agent.getKey()), WINDOW_START, null).usdMicros())
          .isEqualTo(agent.getValue());
    }
    assertThat(store.usage(Limit.Scope.fleet(FLEET), null, null).usdMicros()).isEqualTo(fleetSpent);
  }
}
