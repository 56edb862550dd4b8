package dev.mpp.wallet.ledger;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.wallet.Asset;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link LedgerStore} in memory, for tests and short-lived processes: everything is lost when the
 * JVM exits. One lock serializes every operation, which makes {@link #reserve} trivially atomic;
 * reservations are short (a scan of the agent's or fleet's records per limit), so the lock is held
 * only briefly.
 */
public final class InMemoryLedgerStore implements LedgerStore {
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Entry> records = new LinkedHashMap<>();
  private final Map<String, List<Entry>> byAgent = new HashMap<>();
  private final Map<String, List<Entry>> byFleet = new HashMap<>();
  private boolean closed;

  /** A record and its asset key, computed once: reservations scan many records under the lock. */
  private static final class Entry {
    final String assetKey;
    PaymentRecord record;

    Entry(PaymentRecord record) {
      this.record = record;
      this.assetKey = Asset.keyOf(record);
    }
  }

  /** Creates an empty store. */
  public InMemoryLedgerStore() {}

  @Override
  public Reserved reserve(PaymentRecord record, List<Limit> limits) {
    PaymentStateMachine.requireReservable(record);
    Objects.requireNonNull(limits, "limits");
    lock.lock();
    try {
      if (closed) {
        throw new PaymentFailedException(ErrorCode.LEDGER_FAILURE, "ledger store is closed");
      }
      if (records.containsKey(record.id())) {
        throw new IllegalArgumentException("a record with id " + record.id() + " exists");
      }
      List<Reserved.LimitUsage> usages = new ArrayList<>(limits.size());
      for (Limit limit : limits) {
        Usage before = sum(limit.scope(), limit.since(), limit.assetKey());
        Optional<PaymentDeniedException> denial = limit.check(before, record);
        if (denial.isPresent()) {
          throw denial.get();
        }
        usages.add(new Reserved.LimitUsage(limit, before));
      }
      Entry entry = new Entry(record);
      records.put(record.id(), entry);
      byAgent.computeIfAbsent(record.agent(), k -> new ArrayList<>()).add(entry);
      if (record.fleet() != null) {
        byFleet.computeIfAbsent(record.fleet(), k -> new ArrayList<>()).add(entry);
      }
      return new Reserved(record, usages);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public PaymentRecord transition(
      String id,
      PaymentState state,
      String reference,
      String receiptHeader,
      String detail,
      Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(at, "at");
    lock.lock();
    try {
      checkOpen();
      Entry entry = records.get(id);
      if (entry == null) {
        throw PaymentStateMachine.noSuchRecord(id);
      }
      entry.record =
          PaymentStateMachine.transition(entry.record, state, reference, receiptHeader, detail, at);
      return entry.record;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public PaymentRecord capture(List<String> holdIds, PaymentRecord part) {
    Objects.requireNonNull(holdIds, "holdIds");
    Captures.requireValidPart(part);
    lock.lock();
    try {
      checkOpen();
      if (records.containsKey(part.id())) {
        throw new IllegalArgumentException("a record with id " + part.id() + " exists");
      }
      List<PaymentRecord> holds = new ArrayList<>(holdIds.size());
      for (String id : holdIds) {
        Entry entry = records.get(id);
        holds.add(entry == null ? null : entry.record);
      }
      Captures.Plan plan = Captures.plan(holdIds, holds, part);
      for (PaymentRecord lowered : plan.lowered()) {
        records.get(lowered.id()).record = lowered;
      }
      PaymentRecord stored = plan.part();
      Entry entry = new Entry(stored);
      records.put(stored.id(), entry);
      byAgent.computeIfAbsent(stored.agent(), k -> new ArrayList<>()).add(entry);
      if (stored.fleet() != null) {
        byFleet.computeIfAbsent(stored.fleet(), k -> new ArrayList<>()).add(entry);
      }
      return stored;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<PaymentRecord> find(String id) {
    lock.lock();
    try {
      checkOpen();
      Entry entry = records.get(id);
      return entry == null ? Optional.empty() : Optional.of(entry.record);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<PaymentRecord> query(LedgerQuery query) {
    Objects.requireNonNull(query, "query");
    List<PaymentRecord> matching = new ArrayList<>();
    lock.lock();
    try {
      checkOpen();
      for (Entry entry : candidates(query)) {
        if (matches(query, entry.record)) {
          matching.add(entry.record);
        }
      }
    } finally {
      lock.unlock();
    }
    matching.sort(Comparator.comparing(PaymentRecord::createdAt)); // stable: insertion order ties
    return query.limit() > 0 && matching.size() > query.limit()
        ? List.copyOf(matching.subList(0, query.limit()))
        : List.copyOf(matching);
  }

  private Collection<Entry> candidates(LedgerQuery query) {
    if (query.agent() != null) {
      return byAgent.getOrDefault(query.agent(), List.of());
    }
    if (query.fleet() != null) {
      return byFleet.getOrDefault(query.fleet(), List.of());
    }
    return records.values();
  }

  private static boolean matches(LedgerQuery query, PaymentRecord record) {
    return (query.agent() == null || query.agent().equals(record.agent()))
        && (query.fleet() == null || query.fleet().equals(record.fleet()))
        && (query.from() == null || !record.createdAt().isBefore(query.from()))
        && (query.to() == null || record.createdAt().isBefore(query.to()))
        && (query.state() == null || query.state() == record.state());
  }

  @Override
  public Usage usage(Limit.Scope scope, Instant since, String assetKey) {
    Objects.requireNonNull(scope, "scope");
    lock.lock();
    try {
      checkOpen();
      return sum(scope, since, assetKey);
    } finally {
      lock.unlock();
    }
  }

  private Usage sum(Limit.Scope scope, Instant since, String assetKey) {
    List<Entry> entries =
        (scope.kind() == Limit.Scope.Kind.AGENT ? byAgent : byFleet).get(scope.name());
    if (entries == null) {
      return Usage.NONE;
    }
    // Primitive sums: this loop runs under the lock for every limit of every reservation.
    long usd = 0;
    long count = 0;
    long units = 0;
    BigInteger bigUnits = null;
    for (Entry entry : entries) {
      PaymentRecord record = entry.record;
      if (!record.state().counts()
          || (since != null && record.createdAt().isBefore(since))
          || (assetKey != null && !assetKey.equals(entry.assetKey))) {
        continue;
      }
      usd += record.usdMicros();
      usd = usd < 0 ? Long.MAX_VALUE : usd; // amounts are at most Usd.MAX_MICROS: no wrap-around
      count++;
      if (assetKey != null) {
        BigInteger amount = record.amount();
        if (bigUnits == null && amount.bitLength() < 63 && units + amount.longValue() >= 0) {
          units += amount.longValue();
        } else {
          bigUnits = (bigUnits == null ? BigInteger.valueOf(units) : bigUnits).add(amount);
        }
      }
    }
    return new Usage(usd, count, bigUnits != null ? bigUnits : BigInteger.valueOf(units));
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("ledger store is closed");
    }
  }

  /** Marks the store closed; its records are gone with it. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "InMemoryLedgerStore[records=" + records.size() + "]";
    } finally {
      lock.unlock();
    }
  }
}
