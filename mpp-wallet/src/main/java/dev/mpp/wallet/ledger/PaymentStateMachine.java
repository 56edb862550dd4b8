package dev.mpp.wallet.ledger;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import java.time.Instant;
import java.util.EnumSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The payment lifecycle every {@link LedgerStore} enforces, defined once: which {@link
 * PaymentState} a record may move to, what a move keeps, and what a reservation must look like.
 * Stores decide with it and only persist the outcome, so that the in-memory, SQLite, PostgreSQL and
 * third-party stores cannot drift apart.
 *
 * <pre>
 *   HELD ──► PAID | RELEASED | UNKNOWN
 *   UNKNOWN ──► PAID | RELEASED          (reconciliation)
 *   PAID, RELEASED: final
 * </pre>
 *
 * <p>Moving a record to the state it is already in is not a transition: the record is returned
 * unchanged, so that a retried commit or release is harmless.
 */
public final class PaymentStateMachine {

  private PaymentStateMachine() {}

  /**
   * Whether a record in {@code from} may move to {@code to} (a different state).
   *
   * @param from the current state
   * @param to the requested state
   * @return true for HELD → PAID | RELEASED | UNKNOWN and UNKNOWN → PAID | RELEASED
   */
  public static boolean allowed(PaymentState from, PaymentState to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    return switch (from) {
      case HELD -> to != PaymentState.HELD;
      case UNKNOWN -> to == PaymentState.PAID || to == PaymentState.RELEASED;
      case PAID, RELEASED -> false;
    };
  }

  /**
   * The states a record may move to {@code to} from: what a store's conditional update ({@code
   * WHERE state IN …}) accepts.
   *
   * @param to the requested state
   * @return the states {@link #allowed} lets move to {@code to}, possibly empty
   */
  public static Set<PaymentState> sourcesOf(PaymentState to) {
    Set<PaymentState> sources = EnumSet.noneOf(PaymentState.class);
    for (PaymentState from : PaymentState.values()) {
      if (allowed(from, to)) {
        sources.add(from);
      }
    }
    return sources;
  }

  /**
   * Applies {@link LedgerStore#transition} to {@code current}: the record as it must be stored.
   * Null {@code reference}, {@code receiptHeader} or {@code detail} keep the current values.
   *
   * @param current the stored record
   * @param to the requested state
   * @param reference the settlement reference, or null to keep the current one
   * @param receiptHeader the raw receipt, or null to keep the current one
   * @param detail an outcome note, or null to keep the current one
   * @param at the time of the move
   * @return {@code current} itself when it already is in {@code to} (nothing to store), else the
   *     moved record
   * @throws IllegalStateException when the lifecycle forbids the move
   */
  public static PaymentRecord transition(
      PaymentRecord current,
      PaymentState to,
      String reference,
      String receiptHeader,
      String detail,
      Instant at) {
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(at, "at");
    if (current.state() == to) {
      return current;
    }
    if (!allowed(current.state(), to)) {
      throw new IllegalStateException(
          "record " + current.id() + " cannot move from " + current.state() + " to " + to);
    }
    return current.withState(
        to,
        reference != null ? reference : current.reference(),
        receiptHeader != null ? receiptHeader : current.receiptHeader(),
        detail != null ? detail : current.detail(),
        at);
  }

  /**
   * Rejects a record {@link LedgerStore#reserve} must not store: a reservation starts {@code HELD}
   * with non-negative values.
   *
   * @param record the record to reserve
   * @throws IllegalArgumentException when it is not HELD or a value is negative
   */
  public static void requireReservable(PaymentRecord record) {
    Objects.requireNonNull(record, "record");
    if (record.state() != PaymentState.HELD) {
      throw new IllegalArgumentException("a reservation starts HELD, not " + record.state());
    }
    if (record.usdMicros() < 0 || record.feeUsdMicros() < 0) {
      throw new IllegalArgumentException("usdMicros and feeUsdMicros must not be negative");
    }
  }

  /**
   * The error {@link LedgerStore#transition} throws for an id no record has.
   *
   * @param id the unknown id
   * @return the exception to throw
   */
  public static NoSuchElementException noSuchRecord(String id) {
    return new NoSuchElementException("no ledger record with id " + id);
  }
}
