package dev.mpp.client;

import java.util.Optional;

/**
 * The credential may have been used but the result is unknown (connection lost after sending, a
 * broadcast that never confirmed). The ledger keeps the amount counted as {@link
 * PaymentState#UNKNOWN} until it is reconciled; never pay again automatically after this.
 */
public final class PaymentOutcomeUnknownException extends MppException {
  private final transient PaymentRecord record;

  /**
   * Creates the exception.
   *
   * @param message what happened, without secrets
   * @param record the ledger record now in state UNKNOWN, or null when not yet recorded
   * @param cause the underlying failure, or null
   */
  public PaymentOutcomeUnknownException(String message, PaymentRecord record, Throwable cause) {
    super(ErrorCode.OUTCOME_UNKNOWN, message, cause);
    this.record = record;
  }

  /** The ledger record, when the payment had been recorded. */
  public Optional<PaymentRecord> record() {
    return Optional.ofNullable(record);
  }
}
