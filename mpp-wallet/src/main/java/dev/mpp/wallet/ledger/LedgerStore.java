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

  /**
   * Captures part of one or more holds: atomically lowers the HELD records {@code holdIds}, in
   * order, by {@code part.amount()} in total, and inserts {@code part} (state HELD). A hold is a
   * long-lived reservation, such as the deposit of a payment channel, that later payments draw on
   * step by step; capturing moves counted spend from the hold to the payment without changing the
   * total, so no limit is checked.
   *
   * <p>The stored part's {@code usdMicros} is the share of the holds' value it takes (the whole of
   * a hold it empties, else the proportional share rounded down), so that counted spend stays
   * exactly the same; the caller's value is ignored. A hold emptied by a capture stays HELD with
   * amount zero until released.
   *
   * @param holdIds HELD records of the part's agent, fleet and asset, drawn on in this order
   * @param part the new record (state HELD, positive amount, unused id)
   * @return the stored part
   * @throws IllegalArgumentException when a hold is missing, not HELD, of another agent, fleet or
   *     asset, or the holds together hold less than the part (nothing is changed)
   * @throws dev.mpp.client.PaymentFailedException with {@code LEDGER_FAILURE} on storage errors
   */
  PaymentRecord capture(List<String> holdIds, PaymentRecord part);

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
