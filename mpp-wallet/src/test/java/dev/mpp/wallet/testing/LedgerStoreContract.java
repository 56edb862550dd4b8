package dev.mpp.wallet.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Reserved;
import dev.mpp.wallet.ledger.Usage;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LedgerStore} must have. Extend it with a factory for the store under
 * test (see {@code InMemoryLedgerStoreTest}); each test gets a fresh, empty store.
 */
public abstract class LedgerStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  protected static final String PATH_USD = "0x20c0000000000000000000000000000000000000";
  protected static final String PATH_KEY = Asset.keyOf("tempo", PATH_USD, 4217L);

  protected LedgerStore store;
  private final AtomicInteger ids = new AtomicInteger();

  /** A new, empty store. */
  protected abstract LedgerStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** A HELD record of {@code micros} micro-dollars in pathUSD (base units = micros). */
  protected PaymentRecord held(String agent, String fleet, long micros, Instant at) {
    return new PaymentRecord(
        "r-" + ids.incrementAndGet(),
        agent,
        fleet,
        at,
        at,
        "https://api.example.com/x",
        "https://api.example.com:443",
        "api.example.com",
        "tempo",
        "charge",
        "ch-" + ids.get(),
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

  protected PaymentRecord cents(String agent, String fleet, long cents, Instant at) {
    PaymentRecord r = held(agent, fleet, 0, at);
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

  private static Limit usd(String rule, Limit.Scope scope, Instant since, long max) {
    return new Limit(rule, scope, since, max, null, null, null);
  }

  @Test
  void reserveStoresTheRecordAndReportsUsageBefore() {
    Limit limit = usd("agent:a/cap/day", Limit.Scope.agent("a"), null, 1_000);
    store.reserve(held("a", null, 300, T0), List.of(limit));

    PaymentRecord second = held("a", null, 200, T0.plusSeconds(1));
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
            T0,
            T0.plusMillis(1),
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
            T0,
            T0,
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
    Limit limit = usd("agent:a/cap/day", Limit.Scope.agent("a"), null, 1_000);
    store.reserve(held("a", null, 600, T0), List.of(limit));

    assertThatThrownBy(() -> store.reserve(held("a", null, 401, T0), List.of(limit)))
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
    store.reserve(held("a", null, 400, T0), List.of(limit));
  }

  @Test
  void theFirstExceededLimitIsReportedAndNothingIsStored() {
    Limit agent = usd("agent:a/cap/day", Limit.Scope.agent("a"), null, 1_000);
    Limit fleet = usd("fleet:f/cap/day", Limit.Scope.fleet("f"), null, 500);
    store.reserve(held("b", "f", 400, T0), List.of(fleet));

    assertThatThrownBy(() -> store.reserve(held("a", "f", 200, T0), List.of(agent, fleet)))
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
    store.reserve(held("a", null, 900, T0), List.of(units));
    store.reserve(cents("a", null, 500, T0), List.of(units)); // another asset: not counted

    assertThatThrownBy(() -> store.reserve(held("a", null, 101, T0), List.of(units)))
        .isInstanceOfSatisfying(
            PaymentDeniedException.class, e -> assertThat(e.unit()).isEqualTo(PATH_KEY));
    assertThatThrownBy(() -> store.reserve(cents("a", null, 1, T0), List.of(count)))
        .isInstanceOfSatisfying(
            PaymentDeniedException.class, e -> assertThat(e.unit()).isEqualTo("payments"));
  }

  @Test
  void usageCountsHeldPaidAndUnknownButNotReleasedInTheScopeAndWindow() {
    PaymentRecord paid = held("a", "f", 1, T0);
    PaymentRecord unknown = held("a", "f", 10, T0);
    PaymentRecord released = held("a", "f", 100, T0);
    PaymentRecord held = held("a", "f", 1_000, T0.plusSeconds(10));
    PaymentRecord other = held("b", "f", 10_000, T0);
    PaymentRecord elsewhere = held("c", "g", 100_000, T0);
    PaymentRecord old = held("a", "f", 1_000_000, T0.minusSeconds(1));
    for (PaymentRecord r : List.of(paid, unknown, released, held, other, elsewhere, old)) {
      store.reserve(r, List.of());
    }
    store.transition(paid.id(), PaymentState.PAID, "tx", null, null, T0);
    store.transition(unknown.id(), PaymentState.UNKNOWN, null, null, "reset", T0);
    store.transition(released.id(), PaymentState.RELEASED, null, null, "rejected", T0);

    assertThat(store.usage(Limit.Scope.agent("a"), T0, null))
        .isEqualTo(new Usage(1_011, 3, BigInteger.ZERO));
    assertThat(store.usage(Limit.Scope.agent("a"), null, null).usdMicros()).isEqualTo(1_001_011);
    assertThat(store.usage(Limit.Scope.fleet("f"), T0, null).usdMicros()).isEqualTo(11_011);
    assertThat(store.usage(Limit.Scope.fleet("f"), T0, PATH_KEY))
        .isEqualTo(new Usage(11_011, 4, BigInteger.valueOf(11_011)));
    assertThat(store.usage(Limit.Scope.agent("a"), T0, "stripe:usd")).isEqualTo(Usage.NONE);
    assertThat(store.usage(Limit.Scope.agent("nobody"), null, null)).isEqualTo(Usage.NONE);
  }

  @Test
  void transitionsFollowTheLifecycle() {
    PaymentRecord r = store.reserve(held("a", null, 5, T0), List.of()).record();
    Instant later = T0.plus(Duration.ofMinutes(1));

    PaymentRecord unknown =
        store.transition(r.id(), PaymentState.UNKNOWN, "0xhash", null, "reset", later);
    assertThat(unknown.state()).isEqualTo(PaymentState.UNKNOWN);
    assertThat(unknown.reference()).isEqualTo("0xhash");
    assertThat(unknown.detail()).isEqualTo("reset");
    assertThat(unknown.updatedAt()).isEqualTo(later);
    assertThat(unknown.createdAt()).isEqualTo(T0);

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

    PaymentRecord other = store.reserve(held("a", null, 5, T0), List.of()).record();
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
    PaymentRecord r = held("a", null, 5, T0);
    store.reserve(r, List.of());
    PaymentRecord sameId =
        new PaymentRecord(
            r.id(),
            "b",
            null,
            T0,
            T0,
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
    PaymentRecord a2 = held("a", "f", 1, T0.plusSeconds(2));
    PaymentRecord a1 = held("a", "f", 1, T0.plusSeconds(1));
    PaymentRecord b3 = held("b", "f", 1, T0.plusSeconds(3));
    PaymentRecord c0 = held("c", null, 1, T0);
    for (PaymentRecord r : List.of(a2, a1, b3, c0)) {
      store.reserve(r, List.of());
    }
    store.transition(b3.id(), PaymentState.PAID, null, null, null, T0);

    assertThat(store.query(LedgerQuery.all()))
        .containsExactly(c0, a1, a2, store.find(b3.id()).orElseThrow());
    assertThat(store.query(LedgerQuery.agent("a"))).containsExactly(a1, a2);
    assertThat(store.query(new LedgerQuery(null, "f", null, null, null, 0))).hasSize(3);
    assertThat(store.query(new LedgerQuery(null, "f", null, null, PaymentState.PAID, 0)))
        .extracting(PaymentRecord::id)
        .containsExactly(b3.id());
    assertThat(
            store.query(new LedgerQuery(null, null, T0.plusSeconds(1), T0.plusSeconds(3), null, 0)))
        .containsExactly(a1, a2);
    assertThat(store.query(new LedgerQuery(null, null, null, null, null, 2)))
        .containsExactly(c0, a1);
  }
}
