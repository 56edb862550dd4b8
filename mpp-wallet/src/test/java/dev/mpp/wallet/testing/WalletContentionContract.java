package dev.mpp.wallet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many threads paying through one {@link Wallet} against caps that allow only a fraction of the
 * attempts. Whatever the interleaving, what is counted (PAID + HELD + UNKNOWN) never exceeds any
 * cap by a single base unit, every attempt ends paid or denied, and nothing deadlocks.
 *
 * <p>Extend it with a store factory to run it against a ledger store; shrink {@link #threads()} or
 * {@link #attemptsPerThread()} for slow stores. Eight agents of one fleet share the threads: two
 * are bounded by dollar caps, two by payment counts, two only by the fleet, two by both.
 */
public abstract class WalletContentionContract {
  private static final long MAX_AMOUNT = 1_000; // base units of pathUSD = micro-dollars
  private static final String PATH_KEY = "tempo:4217:" + Offers.PATH_USD;
  private static final int AGENTS = 8;

  /** A new, empty store. */
  protected abstract LedgerStore newStore();

  /** Concurrent paying threads (default 64). */
  protected int threads() {
    return 64;
  }

  /** Attempts per thread (default 200). */
  protected int attemptsPerThread() {
    return 200;
  }

  /** How long the whole run may take before it is declared deadlocked (default 10 minutes). */
  protected long deadlockMinutes() {
    return 10;
  }

  private long expectedDemand() {
    return threads() * attemptsPerThread() * (MAX_AMOUNT + 1) / 2;
  }

  /** Fleet caps at about a third of the expected demand, so most attempts are contended. */
  private Wallet wallet(LedgerStore store) {
    long fleetCap = expectedDemand() / 3;
    long agentCap = fleetCap / 4;
    long agentCount = threads() * attemptsPerThread() / AGENTS / 8;
    Wallet.Builder builder =
        Wallet.builder()
            .ledger(store)
            .rail(Offers.tempoRail())
            .fleet(
                "acme",
                Policy.builder()
                    .cap(dev.mpp.wallet.policy.Cap.usd(Window.DAY, fleetCap + 1_234))
                    .assetCap(Window.DAY, PATH_KEY, BigInteger.valueOf(fleetCap))
                    .build());
    for (int a = 0; a < AGENTS; a++) {
      Policy.Builder policy = Policy.builder();
      switch (a % 4) {
        case 0 -> policy.cap(dev.mpp.wallet.policy.Cap.usd(Window.HOUR, agentCap));
        case 1 -> policy.maxPayments(Window.DAY, agentCount);
        case 2 -> {}
        default ->
            policy
                .cap(dev.mpp.wallet.policy.Cap.usd(Window.DAY, agentCap / 2))
                .maxPayments(Window.WEEK, agentCount * 2);
      }
      builder.agent("agent-" + a, "acme", policy.build());
    }
    return builder.build();
  }

  @Test
  void concurrentPaymentsNeverExceedAnyCap() throws Exception {
    LedgerStore store = newStore();
    try (Wallet wallet = wallet(store)) {
      Map<String, AtomicInteger> denials = new ConcurrentHashMap<>();
      AtomicInteger paid = new AtomicInteger();
      run(
          (thread, attempt, random) -> {
            PaymentContext context = Offers.context("agent-" + thread % AGENTS);
            Challenge offer = offer(thread, attempt, random);
            try {
              PaymentAuthorization auth = wallet.authorize(context, List.of(offer));
              auth.settle(200, null, null);
              paid.incrementAndGet();
            } catch (PaymentDeniedException e) {
              denials.computeIfAbsent(e.rule(), k -> new AtomicInteger()).incrementAndGet();
            }
          });

      List<PaymentRecord> records = store.query(LedgerQuery.all());
      int denied = denials.values().stream().mapToInt(AtomicInteger::get).sum();
      assertThat(paid.get() + denied).isEqualTo(threads() * attemptsPerThread());
      assertThat(records).hasSize(paid.get()).allMatch(r -> r.state() == PaymentState.PAID);
      assertThat(denied).as("the caps must bind").isPositive();
      assertWithinEveryCap(wallet, store, records);
      assertCapsWereUsedUp(wallet, denials);
    }
  }

  @Test
  void releasesAndUnknownOutcomesUnderContentionStayWithinEveryCap() throws Exception {
    LedgerStore store = newStore();
    try (Wallet wallet = wallet(store)) {
      AtomicInteger outcomes = new AtomicInteger();
      run(
          (thread, attempt, random) -> {
            PaymentContext context = Offers.context("agent-" + thread % AGENTS);
            try {
              PaymentAuthorization auth =
                  wallet.authorize(context, List.of(offer(thread, attempt, random)));
              int roll = random.nextInt(10);
              if (roll < 6) {
                auth.settle(200, null, null);
              } else if (roll < 9) {
                auth.release("rejected");
              } else {
                auth.markUnknown("connection reset");
              }
            } catch (PaymentDeniedException e) {
              // expected for a large share of attempts
            }
            outcomes.incrementAndGet();
          });

      assertThat(outcomes.get()).isEqualTo(threads() * attemptsPerThread());
      List<PaymentRecord> records = store.query(LedgerQuery.all());
      assertThat(records).noneMatch(r -> r.state() == PaymentState.HELD);
      assertThat(records).anyMatch(r -> r.state() == PaymentState.RELEASED);
      assertWithinEveryCap(wallet, store, records);
    }
  }

  private static Challenge offer(int thread, int attempt, Random random) {
    long amount = 1 + random.nextInt((int) MAX_AMOUNT);
    return Offers.onChain(
        "t" + thread + "-" + attempt, "tempo", Long.toString(amount), Offers.PATH_USD);
  }

  /** For each cap: the counted records, recomputed from scratch, fit under it. */
  private static void assertWithinEveryCap(
      Wallet wallet, LedgerStore store, List<PaymentRecord> records) {
    for (int a = 0; a < AGENTS; a++) {
      for (var line : wallet.budget("agent-" + a).lines()) {
        Limit.Scope scope = line.scope();
        long usd = 0;
        long count = 0;
        BigInteger units = BigInteger.ZERO;
        for (PaymentRecord r : records) {
          if (r.state().counts() && scope.includes(r)) {
            usd += r.usdMicros();
            count++;
            units = units.add(r.amount());
          }
        }
        String unit = line.unit();
        if (unit.equals("usd")) {
          assertThat(usd)
              .as(line.rule())
              .isLessThanOrEqualTo(line.limit().movePointRight(6).longValueExact());
        } else if (unit.equals("payments")) {
          assertThat(count).as(line.rule()).isLessThanOrEqualTo(line.limit().longValueExact());
        } else {
          assertThat(units).as(line.rule()).isLessThanOrEqualTo(line.limit().toBigIntegerExact());
        }
        assertThat(store.usage(scope, null, null).usdMicros()).as(line.rule()).isEqualTo(usd);
      }
    }
  }

  /**
   * A cap that denied anything was filled to within one payment: denials were needed, not spurious.
   */
  private static void assertCapsWereUsedUp(Wallet wallet, Map<String, AtomicInteger> denials) {
    for (int a = 0; a < AGENTS; a++) {
      for (var line : wallet.budget("agent-" + a).lines()) {
        if (!denials.containsKey(line.rule())) {
          continue;
        }
        if (line.unit().equals("payments")) {
          assertThat(line.remaining()).as(line.rule()).isZero();
        } else {
          long remaining =
              line.unit().equals("usd")
                  ? line.remaining().movePointRight(6).longValueExact()
                  : line.remaining().longValueExact();
          assertThat(remaining).as(line.rule()).isLessThan(MAX_AMOUNT);
        }
      }
    }
  }

  @FunctionalInterface
  private interface Attempt {
    void run(int thread, int attempt, Random random) throws Exception;
  }

  private void run(Attempt attempt) throws Exception {
    int threads = threads();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicLong seeds = new AtomicLong(20260301L);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Random random = new Random(seeds.getAndIncrement());
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < attemptsPerThread(); i++) {
                    attempt.run(thread, i, random);
                  }
                  return null;
                }));
      }
      start.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(deadlockMinutes(), TimeUnit.MINUTES))
          .as("all threads finished (no deadlock)")
          .isTrue();
      for (Future<?> future : futures) {
        future.get(); // rethrows any unexpected failure of an attempt
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
