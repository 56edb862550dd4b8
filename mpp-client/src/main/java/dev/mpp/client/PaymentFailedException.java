package dev.mpp.client;

import java.util.EnumSet;
import java.util.Set;

/** Paying failed in a way that is known not to have moved money (the reservation is released). */
public final class PaymentFailedException extends MppException {
  private static final Set<ErrorCode> CODES =
      EnumSet.of(ErrorCode.RAIL_FAILED, ErrorCode.LEDGER_FAILURE, ErrorCode.PAYMENT_REJECTED);

  /**
   * Creates the exception.
   *
   * @param code one of the codes this type stands for
   * @param message what was wrong, without secrets
   */
  public PaymentFailedException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param code one of the codes this type stands for
   * @param message what was wrong, without secrets
   * @param cause the underlying failure, or null
   */
  public PaymentFailedException(ErrorCode code, String message, Throwable cause) {
    super(checked(code), message, cause);
  }

  private static ErrorCode checked(ErrorCode code) {
    if (!CODES.contains(code)) {
      throw new IllegalArgumentException(code + " is not a code of PaymentFailedException");
    }
    return code;
  }
}
