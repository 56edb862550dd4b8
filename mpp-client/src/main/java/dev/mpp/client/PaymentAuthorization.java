package dev.mpp.client;

import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Problem;
import dev.mpp.client.wire.ProblemType;
import dev.mpp.client.wire.Receipt;

/**
 * A payment the payer has reserved and signed: the credential to send, and the handle on which the
 * flow reports what the server did with it. Exactly one of {@link #settle}, {@link #release} or
 * {@link #markUnknown} should follow; later calls return the current record unchanged.
 *
 * <p>Implementations never expose the credential through {@code toString()}.
 */
public interface PaymentAuthorization {

  /** The challenge being paid. */
  Challenge challenge();

  /** The {@code Authorization} header value ({@code Payment …}). A secret: never log it. */
  String authorizationHeader();

  /** The ledger record as reserved (state {@link PaymentState#HELD}), with the choice rationale. */
  PaymentRecord record();

  /**
   * The server accepted the payment: commit it.
   *
   * @param httpStatus the paid response's status
   * @param receipt the parsed receipt, or null when the server sent none (or an invalid one)
   * @param note why a receipt is missing or invalid, or null
   * @return the committed record
   */
  PaymentRecord settle(int httpStatus, Receipt receipt, String note);

  /**
   * No money can have moved (the server rejected the credential before settlement, or sending was
   * never attempted): release the reservation. A payer that settled the payment itself (e.g. a
   * broadcast transfer) knows better and keeps it counted instead, as unknown.
   *
   * @param reason why, e.g. the problem type
   * @return the record, released unless the payer knows money moved
   */
  PaymentRecord release(String reason);

  /**
   * The credential may have been used but the result is unknown: keep the amount counted until
   * reconciled.
   *
   * @param reason why, e.g. {@code connection reset after sending}
   * @return the record in state {@link PaymentState#UNKNOWN}
   */
  PaymentRecord markUnknown(String reason);

  /**
   * The server answered the credential with an error status ({@code 402}, or {@code 410} for a
   * session whose channel is gone). The default releases the reservation when the problem type
   * proves that nothing settled and otherwise marks it unknown; payments whose credential stays
   * usable after a rejection (a signed session voucher) override this.
   *
   * @param httpStatus the response status
   * @param problem the problem details, or null when the server sent none
   * @return the record in its new state
   */
  default PaymentRecord reject(int httpStatus, Problem problem) {
    ProblemType type = problem == null ? ProblemType.UNKNOWN : problem.type();
    String reason =
        "credential rejected with "
            + httpStatus
            + " "
            + (problem == null ? "(no problem details)" : problem.typeUri().orElse("about:blank"));
    return httpStatus == 402 && type.provesNoSettlement() ? release(reason) : markUnknown(reason);
  }

  /**
   * The server answered the credential with a status that is neither a success nor a payment demand
   * (e.g. {@code 409} or {@code 500}). By default the outcome is unknown: the credential may have
   * been used, so the amount stays counted until reconciled. Payments whose method defines such a
   * status as proof that nothing settled override this and release (card/charge: a {@code 409}
   * means the earlier attempt with this credential failed, draft-card-charge §8.2).
   *
   * @param httpStatus the response status
   * @param problem the problem details, or null when the server sent none
   * @return the record in its new state
   */
  default PaymentRecord unexpectedStatus(int httpStatus, Problem problem) {
    return markUnknown("HTTP " + httpStatus + " after the credential was sent");
  }
}
