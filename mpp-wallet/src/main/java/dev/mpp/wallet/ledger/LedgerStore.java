package dev.mpp.wallet.ledger;

import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable record of every payment and the single point where caps are enforced. Implementations: in
 * memory (tests), SQLite file (embedded default), PostgreSQL (a fleet sharing one budget across
 * JVMs and hosts).
 *
 * <p>All methods are thread-safe, and for the shared stores safe across processes: {@link #reserve}
 * checks every limit and inserts in one atomic step, so concurrent reservations can never together
 * exceed a cap by a single base unit.
 */
public interface LedgerStore extends AutoCloseable {

  /**
   * Atomically checks {@code limits} against the counted spend and, if all fit, inserts {@code
   * record} (state {@link PaymentState#HELD}).
   *
   * @return the stored record and how each limit stood before and after
   * @throws PaymentDeniedException naming the first limit that would be exceeded (nothing stored)
   * @throws dev.mpp.client.PaymentFailedException with {@code LEDGER_FAILURE} on storage errors
   */
  Reserved reserve(PaymentRecord record, List<Limit> limits);

  /**
   * Moves a record to {@code state}. Allowed: HELD → PAID | RELEASED | UNKNOWN, and UNKNOWN → PAID
   * | RELEASED (reconciliation). Moving a record to the state it is in returns it unchanged; any
   * other transition is refused.
   *
   * @param reference the settlement reference, or null to keep the current one
   * @param receiptHeader the raw receipt, or null to keep the current one
   * @param detail an outcome note, or null to keep the current one
   * @return the updated record
   * @throws IllegalStateException for a forbidden transition
   * @throws java.util.NoSuchElementException when no record has {@code id}
   */
  PaymentRecord transition(
      String id,
      PaymentState state,
      String reference,
      String receiptHeader,
      String detail,
      Instant at);

  /** The record with {@code id}. */
  Optional<PaymentRecord> find(String id);

  /** Records matching {@code query}, oldest first. */
  List<PaymentRecord> query(LedgerQuery query);

  /** Counted spend (HELD, PAID, UNKNOWN) of a scope since {@code since} (null: all time). */
  Usage usage(Limit.Scope scope, Instant since, String assetKey);

  /** Releases connections and file handles. */
  @Override
  void close();
}
