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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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
  private final Map<String, PaymentRecord> records = new LinkedHashMap<>();
  private final Map<String, List<String>> byAgent = new HashMap<>();
  private final Map<String, List<String>> byFleet = new HashMap<>();
  private boolean closed;

  /** Creates an empty store. */
  public InMemoryLedgerStore() {}

  @Override
  public Reserved reserve(PaymentRecord record, List<Limit> limits) {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(limits, "limits");
    if (record.state() != PaymentState.HELD) {
      throw new IllegalArgumentException("a reservation must be in state HELD");
    }
    lock.lock();
    try {
      if (closed) {
        throw new PaymentFailedException(ErrorCode.LEDGER_FAILURE, "ledger store is closed");
      }
      if (records.containsKey(record.id())) {
        throw new IllegalArgumentException("a record with id " + record.id() + " exists");
      }
      for (Limit limit : limits) {
        LimitCheck.requireCovers(limit, record);
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
      records.put(record.id(), record);
      byAgent.computeIfAbsent(record.agent(), k -> new ArrayList<>()).add(record.id());
      if (record.fleet() != null) {
        byFleet.computeIfAbsent(record.fleet(), k -> new ArrayList<>()).add(record.id());
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
      PaymentRecord current = records.get(id);
      if (current == null) {
        throw new NoSuchElementException("no payment record " + id);
      }
      if (current.state() == state) {
        return current;
      }
      if (!allowed(current.state(), state)) {
        throw new IllegalStateException(
            "payment " + id + " cannot move from " + current.state() + " to " + state);
      }
      PaymentRecord updated =
          current.withState(
              state,
              reference != null ? reference : current.reference(),
              receiptHeader != null ? receiptHeader : current.receiptHeader(),
              detail != null ? detail : current.detail(),
              at);
      records.put(id, updated);
      return updated;
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
        holds.add(records.get(id));
      }
      Captures.Plan plan = Captures.plan(holdIds, holds, part);
      for (PaymentRecord lowered : plan.lowered()) {
        records.put(lowered.id(), lowered);
      }
      PaymentRecord stored = plan.part();
      records.put(stored.id(), stored);
      byAgent.computeIfAbsent(stored.agent(), k -> new ArrayList<>()).add(stored.id());
      if (stored.fleet() != null) {
        byFleet.computeIfAbsent(stored.fleet(), k -> new ArrayList<>()).add(stored.id());
      }
      return stored;
    } finally {
      lock.unlock();
    }
  }

  /** The transitions {@link LedgerStore#transition} allows. */
  static boolean allowed(PaymentState from, PaymentState to) {
    return switch (from) {
      case HELD -> to != PaymentState.HELD;
      case UNKNOWN -> to == PaymentState.PAID || to == PaymentState.RELEASED;
      case PAID, RELEASED -> false;
    };
  }

  @Override
  public Optional<PaymentRecord> find(String id) {
    lock.lock();
    try {
      checkOpen();
      return Optional.ofNullable(records.get(id));
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
      for (PaymentRecord record : candidates(query)) {
        if (matches(query, record)) {
          matching.add(record);
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

  private Iterable<PaymentRecord> candidates(LedgerQuery query) {
    if (query.agent() != null) {
      return records(byAgent.get(query.agent()));
    }
    if (query.fleet() != null) {
      return records(byFleet.get(query.fleet()));
    }
    return records.values();
  }

  private List<PaymentRecord> records(List<String> ids) {
    if (ids == null) {
      return List.of();
    }
    List<PaymentRecord> list = new ArrayList<>(ids.size());
    for (String id : ids) {
      list.add(records.get(id));
    }
    return list;
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
    List<String> ids =
        (scope.kind() == Limit.Scope.Kind.AGENT ? byAgent : byFleet).get(scope.name());
    if (ids == null) {
      return Usage.NONE;
    }
    Usage total = Usage.NONE;
    for (String id : ids) {
      PaymentRecord record = records.get(id);
      if (!record.state().counts() || (since != null && record.createdAt().isBefore(since))) {
        continue;
      }
      if (assetKey == null) {
        total = total.plus(record.usdMicros(), BigInteger.ZERO);
      } else if (assetKey.equals(
          Asset.keyOf(record.method(), record.currency(), record.chainId()))) {
        total = total.plus(record.usdMicros(), record.amount());
      }
    }
    return total;
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
