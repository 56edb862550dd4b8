package dev.mpp.wallet.testing;

import static dev.mpp.wallet.testing.TestRecords.T0;
import static dev.mpp.wallet.testing.TestRecords.held;
import static dev.mpp.wallet.testing.TestRecords.heldAsset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Reserved;
import dev.mpp.wallet.ledger.Usage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The published contract of {@link LedgerStore}: what every implementation must do, as tests.
 * Records keep every field; transitions follow {@link dev.mpp.wallet.ledger.PaymentStateMachine};
 * limits (agent, fleet, window, count, asset units) are exact to the base unit; denials name the
 * first exceeded limit and store nothing; captures move spend from holds without changing the
 * total; window sums equal a brute-force sum; concurrent reservations never exceed a cap and racing
 * transitions decide once.
 *
 * <p>It ships in {@code mpp-wallet}'s test-jar (classifier {@code tests}). A third-party store
 * proves itself by extending it in a test class of its own and returning a new, empty store from
 * {@link #newStore()}; each test gets a fresh store, closed after the test:
 *
 * <pre>{@code
 * class MyLedgerStoreTest extends LedgerStoreContract {
 *   @Override
 *   protected LedgerStore newStore() {
 *     return new MyLedgerStore(...);
 *   }
 * }
 * }</pre>
 *
 * <p>The in-memory store ({@code InMemoryLedgerStoreTest}), SQLite and PostgreSQL stores run it.
 */
public abstract class LedgerStoreContract {

  /** A midnight: a window starting just before it spans every bucket boundary at once. */
  protected static final Instant MIDNIGHT = Instant.parse("2026-03-01T00:00:00Z");

  /** The pathUSD token of {@link #nextHeld}. */
  protected static final String PATH_USD = "0x20c0000000000000000000000000000000000000";

  /** The asset key of {@link #PATH_USD}. */
  protected static final String PATH_KEY = Asset.keyOf("tempo", PATH_USD, 4217L);

  /** The token of {@link TestRecords#held}. */
  protected static final Asset TOKEN =
      new Asset("tempo", "0x20C0000000000000000000000000000000000001", 4217L, 6);

  /** The store under test: new and empty for each test. */
  protected LedgerStore store;

  private final AtomicInteger nextId = new AtomicInteger();

  /**
   * A new, empty store; called before each test. The suite closes it after the test.
   *
   * @return the store under test
   */
  protected abstract LedgerStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /** A limit on counted US-dollar value only. */
  protected static Limit usdCap(String rule, Limit.Scope scope, Instant since, long maxUsdMicros) {
    return new Limit(rule, scope, since, maxUsdMicros, null, null, null);
  }

  /** A HELD record of {@code micros} micro-dollars in pathUSD (base units = micros), fresh id. */
  protected PaymentRecord nextHeld(String agent, String fleet, long micros, Instant at) {
    return new PaymentRecord(
        "r-" + nextId.incrementAndGet(),
        agent,
        fleet,
        at,
        at,
        "https://api.example.com/x",
        "https://api.example.com:443",
        "api.example.com",
        "tempo",
        "charge",
        "ch-" + nextId.get(),
        BigInteger.valueOf(micros),
        PATH_USD,
        4217L,
        6,
        micros,
        10,
        PaymentState.HELD,
        null,
        null,
        "chose #1",
        null);
  }

  /** A HELD Stripe record of {@code cents} US cents, with a fresh id. */
  protected PaymentRecord nextCents(String agent, String fleet, long cents, Instant at) {
    PaymentRecord r = nextHeld(agent, fleet, 0, at);
    return new PaymentRecord(
        r.id(),
        agent,
        fleet,
        at,
        at,
        r.url(),
        r.origin(),
        r.realm(),
        "stripe",
        "charge",
        r.challengeId(),
        BigInteger.valueOf(cents),
        "usd",
        null,
        2,
        cents * 10_000,
        0,
        PaymentState.HELD,
        null,
        null,
        null,
        null);
  }

  // ---------------------------------------------------------------- records and queries

  @Test
  void reserveStoresEveryFieldExactly() {
    PaymentRecord record =
        new PaymentRecord(
            "r-1",
            "bot-1",
            "acme",
            T0,
            T0.plusNanos(1),
            "https://api.example.test/x",
            "https://api.example.test:443",
            "realm-1",
            "evm",
            "charge",
            "ch-1",
            BigInteger.TWO.pow(200).add(BigInteger.ONE),
            "0xabc",
            8453L,
            18,
            1_234_567,
            89,
            PaymentState.HELD,
            "pre-ref",
            null,
            "why: cheapest",
            "note");

    Reserved reserved = store.reserve(record, List.of());

    assertThat(reserved.record()).isEqualTo(record);
    assertThat(store.find("r-1")).contains(record);
    assertThat(store.query(LedgerQuery.all())).containsExactly(record);
  }

  @Test
  void recordWithoutOptionalFieldsRoundTrips() {
    PaymentRecord record =
        heldAsset(
            "r-2", "bot-1", null, "stripe", "usd", null, 2, BigInteger.valueOf(250), 2_500_000, T0);

    store.reserve(record, List.of());

    assertThat(store.find("r-2")).contains(record);
    assertThat(store.find("missing")).isEmpty();
  }

  @Test
  void queryFiltersByAgentFleetTimeAndStateOldestFirst() {
    PaymentRecord a1 = held("a1", "bot-a", "acme", 10, T0.plusSeconds(3));
    PaymentRecord a2 = held("a2", "bot-a", "acme", 10, T0.plusSeconds(1));
    PaymentRecord b1 = held("b1", "bot-b", "acme", 10, T0.plusSeconds(2));
    PaymentRecord c1 = held("c1", "bot-c", "other", 10, T0.plusSeconds(4));
    for (PaymentRecord r : List.of(a1, a2, b1, c1)) {
      store.reserve(r, List.of());
    }
    store.transition("b1", PaymentState.PAID, "0xref", null, null, T0.plusSeconds(5));

    assertThat(ids(store.query(LedgerQuery.agent("bot-a")))).containsExactly("a2", "a1");
    assertThat(ids(store.query(new LedgerQuery(null, "acme", null, null, null, 0))))
        .containsExactly("a2", "b1", "a1");
    assertThat(
            ids(
                store.query(
                    new LedgerQuery(null, null, T0.plusSeconds(2), T0.plusSeconds(4), null, 0))))
        .containsExactly("b1", "a1");
    assertThat(ids(store.query(new LedgerQuery(null, null, null, null, PaymentState.PAID, 0))))
        .containsExactly("b1");
    assertThat(ids(store.query(new LedgerQuery(null, null, null, null, null, 2))))
        .containsExactly("a2", "b1");
    assertThat(ids(store.query(new LedgerQuery("bot-a", "acme", T0.plusSeconds(2), null, null, 0))))
        .containsExactly("a1");
  }

  @Test
  void recordsWithTheSameTimeComeInInsertionOrder() {
    for (int i = 0; i < 20; i++) {
      store.reserve(held("same-" + i, "bot", null, 1, T0), List.of());
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add("same-" + i);
    }
    assertThat(ids(store.query(LedgerQuery.all()))).containsExactlyElementsOf(expected);
  }

  // ---------------------------------------------------------------- transitions

  @Test
  void commitKeepsFieldsAndAddsReceipt() {
    PaymentRecord record = held("t1", "bot", "acme", 500, T0);
    store.reserve(record, List.of());
    Instant at = T0.plusMillis(250);

    PaymentRecord paid = store.transition("t1", PaymentState.PAID, "0xfeed", "rcpt", "ok", at);

    PaymentRecord expected = record.withState(PaymentState.PAID, "0xfeed", "rcpt", "ok", at);
    assertThat(paid).isEqualTo(expected);
    assertThat(store.find("t1")).contains(expected);
  }

  @Test
  void nullFieldsKeepTheCurrentValues() {
    store.reserve(held("t2", "bot", null, 500, T0), List.of());
    store.transition("t2", PaymentState.UNKNOWN, "0xref", null, "timeout", T0.plusSeconds(1));

    PaymentRecord paid =
        store.transition("t2", PaymentState.PAID, null, "rcpt", null, T0.plusSeconds(2));

    assertThat(paid.reference()).isEqualTo("0xref");
    assertThat(paid.receiptHeader()).isEqualTo("rcpt");
    assertThat(paid.detail()).isEqualTo("timeout");
    assertThat(paid.updatedAt()).isEqualTo(T0.plusSeconds(2));
  }

  @Test
  void sameStateReturnsTheRecordUnchanged() {
    store.reserve(held("t3", "bot", null, 500, T0), List.of());
    PaymentRecord paid =
        store.transition("t3", PaymentState.PAID, "0x1", null, null, T0.plusSeconds(1));

    PaymentRecord again =
        store.transition("t3", PaymentState.PAID, "0x2", "r", "d", T0.plusSeconds(9));

    assertThat(again).isEqualTo(paid);
    assertThat(store.find("t3")).contains(paid);
  }

  @Test
  void forbiddenTransitionsAreRefusedAndChangeNothing() {
    store.reserve(held("p", "bot", null, 1, T0), List.of());
    store.reserve(held("r", "bot", null, 1, T0), List.of());
    store.reserve(held("u", "bot", null, 1, T0), List.of());
    store.transition("p", PaymentState.PAID, null, null, null, T0);
    store.transition("r", PaymentState.RELEASED, null, null, null, T0);
    store.transition("u", PaymentState.UNKNOWN, null, null, null, T0);
    Instant later = T0.plusSeconds(1);

    assertThatThrownBy(() -> store.transition("p", PaymentState.RELEASED, null, null, null, later))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.transition("p", PaymentState.HELD, null, null, null, later))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.transition("r", PaymentState.PAID, null, null, null, later))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.transition("u", PaymentState.HELD, null, null, null, later))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.transition("nope", PaymentState.PAID, null, null, null, later))
        .isInstanceOf(NoSuchElementException.class);

    assertThat(store.find("p").orElseThrow().state()).isEqualTo(PaymentState.PAID);
    assertThat(store.find("r").orElseThrow().state()).isEqualTo(PaymentState.RELEASED);
    assertThat(store.find("u").orElseThrow().state()).isEqualTo(PaymentState.UNKNOWN);
  }

  @Test
  void unknownCountsUntilReconciled() {
    Limit.Scope agent = Limit.Scope.agent("bot");
    store.reserve(held("u1", "bot", null, 700, T0), List.of());
    store.reserve(held("u2", "bot", null, 300, T0), List.of());
    store.transition("u1", PaymentState.UNKNOWN, null, null, "connection reset", T0);
    store.transition("u2", PaymentState.UNKNOWN, null, null, "connection reset", T0);
    assertThat(store.usage(agent, null, null)).isEqualTo(new Usage(1000, 2, BigInteger.ZERO));

    store.transition("u1", PaymentState.PAID, "0xabc", null, "reconciled", T0.plusSeconds(60));
    assertThat(store.usage(agent, null, null).usdMicros()).isEqualTo(1000);

    store.transition("u2", PaymentState.RELEASED, null, null, "never settled", T0.plusSeconds(60));
    assertThat(store.usage(agent, null, null)).isEqualTo(new Usage(700, 1, BigInteger.ZERO));
  }

  @Test
  void releaseFreesTheCap() {
    Limit cap = usdCap("agent:bot/total", Limit.Scope.agent("bot"), null, 1000);
    store.reserve(held("x1", "bot", null, 1000, T0), List.of(cap));
    assertThatThrownBy(() -> store.reserve(held("x2", "bot", null, 1, T0), List.of(cap)))
        .isInstanceOf(PaymentDeniedException.class);

    store.transition("x1", PaymentState.RELEASED, null, null, "rejected", T0);

    assertThat(store.reserve(held("x2", "bot", null, 1000, T0), List.of(cap)).record().id())
        .isEqualTo("x2");
  }

  // ---------------------------------------------------------------- limits

  @Test
  void agentCapIsExactToTheBaseUnit() {
    Limit cap =
        usdCap("agent:bot/day", Limit.Scope.agent("bot"), T0.minus(Duration.ofDays(1)), 1000);
    store.reserve(held("c1", "bot", null, 600, T0), List.of(cap));

    PaymentDeniedException denied =
        catchDenial(() -> store.reserve(held("c2", "bot", null, 401, T0), List.of(cap)));
    assertThat(denied.code()).isEqualTo(ErrorCode.POLICY_DENIED);
    assertThat(denied.rule()).isEqualTo("agent:bot/day");
    assertThat(denied.amount()).contains(new BigDecimal("0.000401"));
    assertThat(denied.limit()).contains(new BigDecimal("0.001000"));
    assertThat(denied.remaining()).contains(new BigDecimal("0.000400"));
    assertThat(denied.unit()).isEqualTo("usd");
    assertThat(store.find("c2")).isEmpty();

    Reserved fits = store.reserve(held("c3", "bot", null, 400, T0), List.of(cap));
    assertThat(fits.usages())
        .containsExactly(new Reserved.LimitUsage(cap, new Usage(600, 1, BigInteger.ZERO)));
    assertThatThrownBy(() -> store.reserve(held("c4", "bot", null, 1, T0), List.of(cap)))
        .isInstanceOf(PaymentDeniedException.class);
    assertThat(store.reserve(held("c5", "bot", null, 0, T0), List.of(cap)).record().id())
        .isEqualTo("c5");
  }

  @Test
  void fleetCapCountsEveryAgentOfTheFleet() {
    Limit.Scope fleet = Limit.Scope.fleet("acme");
    Limit fleetCap = usdCap("fleet:acme/day", fleet, null, 1000);
    store.reserve(held("f1", "bot-1", "acme", 400, T0), List.of(fleetCap));
    store.reserve(held("f2", "bot-2", "acme", 400, T0), List.of(fleetCap));
    store.reserve(held("o1", "bot-3", "other", 5000, T0), List.of());

    PaymentDeniedException denied =
        catchDenial(
            () ->
                store.reserve(
                    held("f3", "bot-3", "acme", 201, T0),
                    List.of(
                        usdCap("agent:bot-3/day", Limit.Scope.agent("bot-3"), null, 10_000),
                        fleetCap)));

    assertThat(denied.rule()).isEqualTo("fleet:acme/day");
    assertThat(denied.remaining()).contains(new BigDecimal("0.000200"));
    assertThat(store.usage(fleet, null, null)).isEqualTo(new Usage(800, 2, BigInteger.ZERO));
    assertThat(store.usage(Limit.Scope.agent("bot-3"), null, null).usdMicros()).isEqualTo(5000);
  }

  @Test
  void firstExceededLimitIsNamed() {
    Limit.Scope agent = Limit.Scope.agent("bot");
    Limit big = usdCap("agent:bot/month", agent, null, 1_000_000);
    Limit small = usdCap("agent:bot/hour", agent, T0.minusSeconds(3600), 100);
    Limit count = new Limit("agent:bot/count", agent, null, null, 0L, null, null);

    PaymentDeniedException denied =
        catchDenial(
            () -> store.reserve(held("n1", "bot", null, 101, T0), List.of(big, small, count)));

    assertThat(denied.rule()).isEqualTo("agent:bot/hour");
  }

  @Test
  void windowCountsOnlyRecordsAtOrAfterItsStart() {
    Limit.Scope agent = Limit.Scope.agent("bot");
    store.reserve(held("w1", "bot", null, 100, T0), List.of());
    store.reserve(held("w2", "bot", null, 10, T0.plusSeconds(90)), List.of());

    assertThat(store.usage(agent, T0, null).usdMicros()).isEqualTo(110);
    assertThat(store.usage(agent, T0.plusNanos(1), null).usdMicros()).isEqualTo(10);
    assertThat(store.usage(agent, T0.plusSeconds(90), null).usdMicros()).isEqualTo(10);
    assertThat(store.usage(agent, T0.plusSeconds(90).plusNanos(1), null)).isEqualTo(Usage.NONE);

    Limit window = usdCap("agent:bot/1m", agent, T0.plusSeconds(30), 15);
    assertThat(store.reserve(held("w3", "bot", null, 5, T0.plusSeconds(100)), List.of(window)))
        .isNotNull();
    assertThatThrownBy(
            () -> store.reserve(held("w4", "bot", null, 1, T0.plusSeconds(100)), List.of(window)))
        .isInstanceOf(PaymentDeniedException.class);
  }

  @Test
  void countCapCountsPayments() {
    Limit count =
        new Limit("agent:bot/3-per-day", Limit.Scope.agent("bot"), null, null, 3L, null, null);
    for (int i = 0; i < 3; i++) {
      store.reserve(held("k" + i, "bot", null, 1, T0), List.of(count));
    }

    PaymentDeniedException denied =
        catchDenial(() -> store.reserve(held("k3", "bot", null, 1, T0), List.of(count)));

    assertThat(denied.unit()).isEqualTo("payments");
    assertThat(denied.limit()).contains(BigDecimal.valueOf(3));
    assertThat(denied.remaining()).contains(BigDecimal.ZERO);
  }

  @Test
  void assetCapCountsBaseUnitsOfThatAssetOnly() {
    BigInteger wei = BigInteger.TEN.pow(21); // 1000 tokens of 18 decimals: beyond a long
    String eth = new Asset("evm", "0xToken", 8453L, 18).key();
    Limit units =
        new Limit(
            "agent:bot/token",
            Limit.Scope.agent("bot"),
            null,
            null,
            null,
            eth,
            wei.multiply(BigInteger.TWO));
    store.reserve(
        heldAsset("e1", "bot", null, "evm", "0xTOKEN", 8453L, 18, wei, 5, T0), List.of(units));
    store.reserve(
        heldAsset(
            "s1",
            "bot",
            null,
            "stripe",
            "usd",
            null,
            2,
            BigInteger.valueOf(10_000),
            100_000_000,
            T0),
        List.of(units));

    assertThat(store.usage(Limit.Scope.agent("bot"), null, eth)).isEqualTo(new Usage(5, 1, wei));
    assertThat(store.usage(Limit.Scope.agent("bot"), null, null))
        .isEqualTo(new Usage(100_000_005, 2, BigInteger.ZERO));

    PaymentDeniedException denied =
        catchDenial(
            () ->
                store.reserve(
                    heldAsset(
                        "e2",
                        "bot",
                        null,
                        "evm",
                        "0xtoken",
                        8453L,
                        18,
                        wei.add(BigInteger.ONE),
                        5,
                        T0),
                    List.of(units)));
    assertThat(denied.unit()).isEqualTo(eth);
    assertThat(denied.remaining().orElseThrow()).isEqualByComparingTo("1000");
    assertThat(denied.amount()).contains(new BigDecimal("1000.000000000000000001"));

    store.reserve(
        heldAsset("e3", "bot", null, "evm", "0xtoken", 8453L, 18, wei, 5, T0), List.of(units));
    assertThat(store.usage(Limit.Scope.agent("bot"), T0, eth).units())
        .isEqualTo(wei.multiply(BigInteger.TWO));
  }

  @Test
  void denialStoresNothingAndLeavesUsageAlone() {
    Limit cap = usdCap("agent:bot/total", Limit.Scope.agent("bot"), null, 10);
    store.reserve(held("d1", "bot", "acme", 10, T0), List.of(cap));
    Usage agentBefore = store.usage(Limit.Scope.agent("bot"), null, null);
    Usage fleetBefore = store.usage(Limit.Scope.fleet("acme"), null, null);

    assertThatThrownBy(() -> store.reserve(held("d2", "bot", "acme", 1, T0), List.of(cap)))
        .isInstanceOf(PaymentDeniedException.class);

    assertThat(store.find("d2")).isEmpty();
    assertThat(store.query(LedgerQuery.all())).hasSize(1);
    assertThat(store.usage(Limit.Scope.agent("bot"), null, null)).isEqualTo(agentBefore);
    assertThat(store.usage(Limit.Scope.fleet("acme"), null, null)).isEqualTo(fleetBefore);
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void duplicateIdIsRefusedAndKeepsTheFirstRecord() {
    PaymentRecord first = held("dup", "bot", null, 10, T0);
    store.reserve(first, List.of());

    assertThatThrownBy(() -> store.reserve(held("dup", "bot", null, 99, T0), List.of()))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(store.find("dup")).contains(first);
    assertThat(store.usage(Limit.Scope.agent("bot"), null, null).usdMicros()).isEqualTo(10);
  }

  @Test
  void reservationMustStartHeld() {
    PaymentRecord paid =
        held("h", "bot", null, 10, T0).withState(PaymentState.PAID, null, null, null, T0);
    assertThatThrownBy(() -> store.reserve(paid, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.find("h")).isEmpty();
  }

  @Test
  void closedStoreFailsTyped() {
    store.close();
    assertThatThrownBy(() -> store.reserve(held("z", "bot", null, 1, T0), List.of()))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.LEDGER_FAILURE));
    store = null;
  }

  // ---------------------------------------------------------------- window sums are exact

  /**
   * Records at random instants (nanosecond precision, spread over days, in all four states): usage
   * for random window starts must equal the brute-force sum of the stored records.
   */
  @ParameterizedTest
  @ValueSource(longs = {1L, 7L, 42L})
  void windowSumsEqualBruteForce(long seed) {
    Random random = new Random(seed);
    List<PaymentRecord> stored = new ArrayList<>();
    Instant base = Instant.parse("2026-02-27T23:59:58Z");
    long spanNanos = Duration.ofDays(3).toNanos();
    for (int i = 0; i < 300; i++) {
      // cluster half of the records around bucket edges, where off-by-one mistakes live
      Instant at =
          random.nextBoolean()
              ? base.plusNanos((long) (random.nextDouble() * spanNanos))
              : base.plusSeconds(
                      random.nextInt(4) * 86_400L
                          + random.nextInt(3) * 3600L
                          + random.nextInt(3) * 60L
                          + random.nextInt(3))
                  .plusNanos(random.nextInt(3) - 1);
      String agent = "bot-" + random.nextInt(3);
      String fleet = random.nextInt(4) == 0 ? null : "acme";
      PaymentRecord record =
          random.nextBoolean()
              ? held("b" + i, agent, fleet, random.nextInt(1_000_000), at)
              : heldAsset(
                  "b" + i,
                  agent,
                  fleet,
                  "stripe",
                  "usd",
                  null,
                  2,
                  BigInteger.valueOf(random.nextInt(50_000)),
                  random.nextInt(1_000_000),
                  at);
      store.reserve(record, List.of());
      PaymentState state = PaymentState.values()[random.nextInt(4)];
      if (state != PaymentState.HELD) {
        record = store.transition(record.id(), state, null, null, null, at);
      }
      stored.add(record);
    }

    List<Limit.Scope> scopes =
        List.of(Limit.Scope.agent("bot-0"), Limit.Scope.agent("bot-2"), Limit.Scope.fleet("acme"));
    List<String> assets = new ArrayList<>();
    assets.add(null);
    assets.add(TOKEN.key());
    assets.add("stripe:usd");
    for (int q = 0; q < 60; q++) {
      Instant since =
          q == 0
              ? null
              : random.nextBoolean()
                  ? base.plusNanos((long) (random.nextDouble() * spanNanos))
                  : stored
                      .get(random.nextInt(stored.size()))
                      .createdAt()
                      .plusNanos(random.nextInt(3) - 1);
      for (Limit.Scope scope : scopes) {
        for (String asset : assets) {
          assertThat(store.usage(scope, since, asset))
              .as("usage of %s since %s asset %s", scope, since, asset)
              .isEqualTo(bruteForce(stored, scope, since, asset));
        }
      }
    }
  }

  private static Usage bruteForce(
      List<PaymentRecord> records, Limit.Scope scope, Instant since, String asset) {
    long usd = 0;
    long count = 0;
    BigInteger units = BigInteger.ZERO;
    for (PaymentRecord r : records) {
      String owner = scope.kind() == Limit.Scope.Kind.AGENT ? r.agent() : r.fleet();
      if (!scope.name().equals(owner)
          || !r.state().counts()
          || (since != null && r.createdAt().isBefore(since))
          || (asset != null && !asset.equals(Asset.keyOf(r)))) {
        continue;
      }
      usd += r.usdMicros();
      count++;
      if (asset != null) {
        units = units.add(r.amount());
      }
    }
    return usd == 0 && count == 0 ? Usage.NONE : new Usage(usd, count, units);
  }

  // ---------------------------------------------------------------- contention

  /**
   * 64 threads × 200 attempts of random amounts against agent caps and a fleet cap that let a
   * fraction through: nothing ever exceeds a cap, every attempt ends paid or denied.
   */
  @Test
  void contendedReservationsNeverExceedACap() throws Exception {
    ContentionWorkload workload = ContentionWorkload.standard("c", 2024);
    ContentionWorkload.Result result = workload.run(store, 64, 200);

    ContentionWorkload.verify(store, List.of(result), 64 * 200);
  }

  /**
   * A commit and a release racing for each of many records: exactly one wins, the other is refused,
   * and the counted spend is exactly the committed records.
   */
  @Test
  void racingCommitAndReleaseDecideOnce() throws Exception {
    int n = 60;
    for (int i = 0; i < n; i++) {
      store.reserve(held("race-" + i, "bot", "acme", 100 + i, T0), List.of());
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<Boolean>> outcomes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "race-" + i;
      for (PaymentState state : List.of(PaymentState.PAID, PaymentState.RELEASED)) {
        outcomes.add(
            pool.submit(
                () -> {
                  try {
                    store.transition(id, state, null, null, null, T0.plusSeconds(1));
                    return true;
                  } catch (IllegalStateException refused) {
                    return false;
                  }
                }));
      }
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES)).isTrue();

    long paidUsd = 0;
    for (int i = 0; i < n; i++) {
      boolean paidWon = outcomes.get(2 * i).get();
      boolean releaseWon = outcomes.get(2 * i + 1).get();
      assertThat(paidWon ^ releaseWon).as("race-" + i + " decided once").isTrue();
      PaymentState state = store.find("race-" + i).orElseThrow().state();
      assertThat(state).isEqualTo(paidWon ? PaymentState.PAID : PaymentState.RELEASED);
      paidUsd += paidWon ? 100 + i : 0;
    }
    assertThat(store.usage(Limit.Scope.fleet("acme"), null, null).usdMicros()).isEqualTo(paidUsd);
    assertThat(store.usage(Limit.Scope.agent("bot"), T0, null).usdMicros()).isEqualTo(paidUsd);
  }

  /** The denial {@code action} throws; fails the test when it throws none. */
  protected static PaymentDeniedException catchDenial(Runnable action) {
    try {
      action.run();
    } catch (PaymentDeniedException e) {
      return e;
    }
    throw new AssertionError("expected a PaymentDeniedException");
  }

  /** The ids of {@code records}, in order. */
  protected static List<String> ids(List<PaymentRecord> records) {
    return records.stream().map(PaymentRecord::id).toList();
  }

  // ---------------------------------------------------------------- captures (session deposits)

  @Test
  void captureMovesSpendFromTheHoldWithoutChangingTheTotal() {
    Limit.Scope agent = Limit.Scope.agent("bot");
    store.reserve(held("hold", "bot", "acme", 1_000_000, T0), List.of());
    Usage before = store.usage(agent, null, null);

    PaymentRecord part =
        store.capture(List.of("hold"), held("v1", "bot", "acme", 250_000, T0.plusSeconds(5)));

    assertThat(part.amount()).isEqualTo(BigInteger.valueOf(250_000));
    assertThat(part.usdMicros()).isEqualTo(250_000);
    assertThat(part.state()).isEqualTo(PaymentState.HELD);
    assertThat(store.find("hold").orElseThrow().amount()).isEqualTo(BigInteger.valueOf(750_000));
    assertThat(store.find("hold").orElseThrow().usdMicros()).isEqualTo(750_000);
    assertThat(store.usage(agent, null, null).usdMicros()).isEqualTo(before.usdMicros());
    assertThat(store.usage(Limit.Scope.fleet("acme"), null, null).usdMicros()).isEqualTo(1_000_000);

    store.transition("v1", PaymentState.PAID, "0xch", null, null, T0.plusSeconds(6));
    store.transition("hold", PaymentState.RELEASED, null, null, "closed", T0.plusSeconds(7));

    assertThat(store.usage(agent, null, null).usdMicros()).isEqualTo(250_000);
    assertThat(store.usage(agent, T0.minus(Duration.ofDays(1)), null).usdMicros())
        .isEqualTo(250_000);
  }

  @Test
  void captureDrawsOnHoldsInOrderAndEmptiesThemExactly() {
    store.reserve(held("h1", "bot", null, 300, T0), List.of());
    store.reserve(held("h2", "bot", null, 1_000, T0.plusSeconds(1)), List.of());

    PaymentRecord part =
        store.capture(List.of("h1", "h2"), held("p", "bot", null, 500, T0.plusSeconds(2)));

    assertThat(part.usdMicros()).isEqualTo(500);
    assertThat(store.find("h1").orElseThrow().amount()).isEqualTo(BigInteger.ZERO);
    assertThat(store.find("h1").orElseThrow().state()).isEqualTo(PaymentState.HELD);
    assertThat(store.find("h2").orElseThrow().amount()).isEqualTo(BigInteger.valueOf(800));
    assertThat(store.usage(Limit.Scope.agent("bot"), null, null).usdMicros()).isEqualTo(1_300);
  }

  @Test
  void captureBeyondTheHoldsChangesNothing() {
    store.reserve(held("h", "bot", null, 100, T0), List.of());
    store.reserve(held("other", "bot-2", null, 100, T0), List.of());

    assertThatThrownBy(
            () -> store.capture(List.of("h"), held("p", "bot", null, 101, T0.plusSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> store.capture(List.of("other"), held("p", "bot", null, 1, T0.plusSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> store.capture(List.of("missing"), held("p", "bot", null, 1, T0.plusSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class);
    store.transition("h", PaymentState.RELEASED, null, null, null, T0.plusSeconds(2));
    assertThatThrownBy(
            () -> store.capture(List.of("h"), held("p", "bot", null, 1, T0.plusSeconds(3))))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(store.find("p")).isEmpty();
    assertThat(store.find("other").orElseThrow().amount()).isEqualTo(BigInteger.valueOf(100));
  }

  @Test
  void capturedSpendCountsInTheWindowOfTheCapture() {
    Limit.Scope agent = Limit.Scope.agent("bot");
    store.reserve(held("hold", "bot", null, 1_000, T0), List.of());
    Instant later = T0.plus(Duration.ofDays(2));

    store.capture(List.of("hold"), held("p", "bot", null, 400, later));

    assertThat(store.usage(agent, later.minus(Duration.ofHours(1)), null).usdMicros())
        .isEqualTo(400);
    assertThat(store.usage(agent, T0.minusSeconds(1), null).usdMicros()).isEqualTo(1_000);
    assertThat(store.usage(agent, T0.minusSeconds(1), TOKEN.key()).units())
        .isEqualTo(BigInteger.valueOf(1_000));
    Limit dayCap = usdCap("agent:bot/day", agent, later.minus(Duration.ofDays(1)), 1_000);
    assertThatThrownBy(() -> store.reserve(held("x", "bot", null, 601, later), List.of(dayCap)))
        .isInstanceOf(PaymentDeniedException.class);
    assertThat(store.reserve(held("y", "bot", null, 600, later), List.of(dayCap))).isNotNull();
  }

  // ---------------------------------------------------------------- the lifecycle end to end

  @Test
  void reserveStoresTheRecordAndReportsUsageBefore() {
    Limit limit = usdCap("agent:a/cap/day", Limit.Scope.agent("a"), null, 1_000);
    store.reserve(nextHeld("a", null, 300, MIDNIGHT), List.of(limit));

    PaymentRecord second = nextHeld("a", null, 200, MIDNIGHT.plusSeconds(1));
    Reserved reserved = store.reserve(second, List.of(limit));

    assertThat(reserved.record()).isEqualTo(second);
    assertThat(reserved.usages()).hasSize(1);
    assertThat(reserved.usages().get(0).limit()).isEqualTo(limit);
    assertThat(reserved.usages().get(0).before()).isEqualTo(new Usage(300, 1, BigInteger.ZERO));
    assertThat(store.find(second.id())).contains(second);
  }

  @Test
  void aRecordRoundTripsExactly() {
    PaymentRecord big =
        new PaymentRecord(
            "round-trip",
            "agent ü",
            "fleet ✓",
            MIDNIGHT,
            MIDNIGHT.plusMillis(1),
            "https://h/p",
            "https://h:443",
            "realm \"q\"",
            "evm",
            "charge",
            "ch",
            BigInteger.TWO.pow(255),
            "0xabc",
            1L,
            18,
            123_456_789,
            42,
            PaymentState.HELD,
            null,
            null,
            "rationale; with, punctuation\nand lines",
            null);
    PaymentRecord bare =
        new PaymentRecord(
            "bare",
            "a",
            null,
            MIDNIGHT,
            MIDNIGHT,
            null,
            null,
            null,
            "stripe",
            "charge",
            "ch",
            BigInteger.ZERO,
            "usd",
            null,
            2,
            0,
            0,
            PaymentState.HELD,
            null,
            null,
            null,
            null);

    store.reserve(big, List.of());
    store.reserve(bare, List.of());

    assertThat(store.find("round-trip")).contains(big);
    assertThat(store.find("bare")).contains(bare);
    assertThat(store.find("missing")).isEmpty();
  }

  @Test
  void aCapFitsExactlyAndDeniesOneUnitMore() {
    Limit limit = usdCap("agent:a/cap/day", Limit.Scope.agent("a"), null, 1_000);
    store.reserve(nextHeld("a", null, 600, MIDNIGHT), List.of(limit));

    assertThatThrownBy(() -> store.reserve(nextHeld("a", null, 401, MIDNIGHT), List.of(limit)))
        .isInstanceOfSatisfying(
            PaymentDeniedException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.POLICY_DENIED);
              assertThat(e.rule()).isEqualTo("agent:a/cap/day");
              assertThat(e.amount())
                  .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.000401"));
              assertThat(e.limit())
                  .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.001"));
              assertThat(e.remaining())
                  .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.0004"));
            });
    assertThat(store.query(LedgerQuery.all())).hasSize(1);
    store.reserve(nextHeld("a", null, 400, MIDNIGHT), List.of(limit));
  }

  @Test
  void theFirstExceededLimitIsReportedAndNothingIsStored() {
    Limit agent = usdCap("agent:a/cap/day", Limit.Scope.agent("a"), null, 1_000);
    Limit fleet = usdCap("fleet:f/cap/day", Limit.Scope.fleet("f"), null, 500);
    store.reserve(nextHeld("b", "f", 400, MIDNIGHT), List.of(fleet));

    assertThatThrownBy(
            () -> store.reserve(nextHeld("a", "f", 200, MIDNIGHT), List.of(agent, fleet)))
        .isInstanceOfSatisfying(
            PaymentDeniedException.class, e -> assertThat(e.rule()).isEqualTo("fleet:f/cap/day"));
    assertThat(store.query(LedgerQuery.agent("a"))).isEmpty();
  }

  @Test
  void countAndPerAssetLimits() {
    Limit count =
        new Limit("agent:a/count/day", Limit.Scope.agent("a"), null, null, 2L, null, null);
    Limit units =
        new Limit(
            "agent:a/units/day/" + PATH_KEY,
            Limit.Scope.agent("a"),
            null,
            null,
            null,
            PATH_KEY,
            BigInteger.valueOf(1_000));
    store.reserve(nextHeld("a", null, 900, MIDNIGHT), List.of(units));
    store.reserve(
        nextCents("a", null, 500, MIDNIGHT), List.of(units)); // another asset: not counted

    assertThatThrownBy(() -> store.reserve(nextHeld("a", null, 101, MIDNIGHT), List.of(units)))
        .isInstanceOfSatisfying(
            PaymentDeniedException.class, e -> assertThat(e.unit()).isEqualTo(PATH_KEY));
    assertThatThrownBy(() -> store.reserve(nextCents("a", null, 1, MIDNIGHT), List.of(count)))
        .isInstanceOfSatisfying(
            PaymentDeniedException.class, e -> assertThat(e.unit()).isEqualTo("payments"));
  }

  @Test
  void usageCountsHeldPaidAndUnknownButNotReleasedInTheScopeAndWindow() {
    PaymentRecord paid = nextHeld("a", "f", 1, MIDNIGHT);
    PaymentRecord unknown = nextHeld("a", "f", 10, MIDNIGHT);
    PaymentRecord released = nextHeld("a", "f", 100, MIDNIGHT);
    PaymentRecord held = nextHeld("a", "f", 1_000, MIDNIGHT.plusSeconds(10));
    PaymentRecord other = nextHeld("b", "f", 10_000, MIDNIGHT);
    PaymentRecord elsewhere = nextHeld("c", "g", 100_000, MIDNIGHT);
    PaymentRecord old = nextHeld("a", "f", 1_000_000, MIDNIGHT.minusSeconds(1));
    for (PaymentRecord r : List.of(paid, unknown, released, held, other, elsewhere, old)) {
      store.reserve(r, List.of());
    }
    store.transition(paid.id(), PaymentState.PAID, "tx", null, null, MIDNIGHT);
    store.transition(unknown.id(), PaymentState.UNKNOWN, null, null, "reset", MIDNIGHT);
    store.transition(released.id(), PaymentState.RELEASED, null, null, "rejected", MIDNIGHT);

    assertThat(store.usage(Limit.Scope.agent("a"), MIDNIGHT, null))
        .isEqualTo(new Usage(1_011, 3, BigInteger.ZERO));
    assertThat(store.usage(Limit.Scope.agent("a"), null, null).usdMicros()).isEqualTo(1_001_011);
    assertThat(store.usage(Limit.Scope.fleet("f"), MIDNIGHT, null).usdMicros()).isEqualTo(11_011);
    assertThat(store.usage(Limit.Scope.fleet("f"), MIDNIGHT, PATH_KEY))
        .isEqualTo(new Usage(11_011, 4, BigInteger.valueOf(11_011)));
    assertThat(store.usage(Limit.Scope.agent("a"), MIDNIGHT, "stripe:usd")).isEqualTo(Usage.NONE);
    assertThat(store.usage(Limit.Scope.agent("nobody"), null, null)).isEqualTo(Usage.NONE);
  }

  @Test
  void transitionsFollowTheLifecycle() {
    PaymentRecord r = store.reserve(nextHeld("a", null, 5, MIDNIGHT), List.of()).record();
    Instant later = MIDNIGHT.plus(Duration.ofMinutes(1));

    PaymentRecord unknown =
        store.transition(r.id(), PaymentState.UNKNOWN, "0xhash", null, "reset", later);
    assertThat(unknown.state()).isEqualTo(PaymentState.UNKNOWN);
    assertThat(unknown.reference()).isEqualTo("0xhash");
    assertThat(unknown.detail()).isEqualTo("reset");
    assertThat(unknown.updatedAt()).isEqualTo(later);
    assertThat(unknown.createdAt()).isEqualTo(MIDNIGHT);

    assertThat(
            store.transition(
                r.id(), PaymentState.UNKNOWN, "other", null, "again", later.plusSeconds(1)))
        .isEqualTo(unknown);
    assertThatThrownBy(() -> store.transition(r.id(), PaymentState.HELD, null, null, null, later))
        .isInstanceOf(IllegalStateException.class);

    PaymentRecord paid = store.transition(r.id(), PaymentState.PAID, null, "receipt", null, later);
    assertThat(paid.reference()).isEqualTo("0xhash"); // null keeps the current value
    assertThat(paid.receiptHeader()).isEqualTo("receipt");
    assertThat(paid.detail()).isEqualTo("reset");
    assertThatThrownBy(
            () -> store.transition(r.id(), PaymentState.RELEASED, null, null, null, later))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.find(r.id())).contains(paid);

    PaymentRecord other = store.reserve(nextHeld("a", null, 5, MIDNIGHT), List.of()).record();
    store.transition(other.id(), PaymentState.RELEASED, null, null, "no", later);
    assertThatThrownBy(
            () -> store.transition(other.id(), PaymentState.PAID, "tx", null, null, later))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> store.transition("missing", PaymentState.PAID, null, null, null, later))
        .isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void aDuplicateIdIsRefusedAndTheOriginalKept() {
    PaymentRecord r = nextHeld("a", null, 5, MIDNIGHT);
    store.reserve(r, List.of());
    PaymentRecord sameId =
        new PaymentRecord(
            r.id(),
            "b",
            null,
            MIDNIGHT,
            MIDNIGHT,
            null,
            null,
            null,
            "tempo",
            "charge",
            "x",
            BigInteger.ONE,
            PATH_USD,
            4217L,
            6,
            1,
            0,
            PaymentState.HELD,
            null,
            null,
            null,
            null);

    assertThatThrownBy(() -> store.reserve(sameId, List.of())).isInstanceOf(RuntimeException.class);
    assertThat(store.find(r.id())).contains(r);
  }

  @Test
  void queriesFilterAndReturnOldestFirst() {
    PaymentRecord a2 = nextHeld("a", "f", 1, MIDNIGHT.plusSeconds(2));
    PaymentRecord a1 = nextHeld("a", "f", 1, MIDNIGHT.plusSeconds(1));
    PaymentRecord b3 = nextHeld("b", "f", 1, MIDNIGHT.plusSeconds(3));
    PaymentRecord c0 = nextHeld("c", null, 1, MIDNIGHT);
    for (PaymentRecord r : List.of(a2, a1, b3, c0)) {
      store.reserve(r, List.of());
    }
    store.transition(b3.id(), PaymentState.PAID, null, null, null, MIDNIGHT);

    assertThat(store.query(LedgerQuery.all()))
        .containsExactly(c0, a1, a2, store.find(b3.id()).orElseThrow());
    assertThat(store.query(LedgerQuery.agent("a"))).containsExactly(a1, a2);
    assertThat(store.query(new LedgerQuery(null, "f", null, null, null, 0))).hasSize(3);
    assertThat(store.query(new LedgerQuery(null, "f", null, null, PaymentState.PAID, 0)))
        .extracting(PaymentRecord::id)
        .containsExactly(b3.id());
    assertThat(
            store.query(
                new LedgerQuery(
                    null, null, MIDNIGHT.plusSeconds(1), MIDNIGHT.plusSeconds(3), null, 0)))
        .containsExactly(a1, a2);
    assertThat(store.query(new LedgerQuery(null, null, null, null, null, 2)))
        .containsExactly(c0, a1);
  }
}
