package dev.mpp.client;

import java.util.EnumSet;
import java.util.Set;

/**
 * The client refused to pay because a safety rule or the offers themselves rule it out; nothing was
 * signed.
 */
public final class PaymentRefusedException extends MppException {
  private static final Set<ErrorCode> CODES =
      EnumSet.of(
          ErrorCode.NO_PAYMENT_CHALLENGE,
          ErrorCode.CHALLENGE_EXPIRED,
          ErrorCode.DIGEST_MISMATCH,
          ErrorCode.INSECURE_TRANSPORT,
          ErrorCode.CROSS_ORIGIN,
          ErrorCode.BODY_NOT_REPLAYABLE,
          ErrorCode.NO_PAYABLE_OFFER,
          ErrorCode.UNSUPPORTED_REQUEST);

  /**
   * Creates the exception.
   *
   * @param code one of the codes this type stands for
   * @param message what was wrong, without secrets
   */
  public PaymentRefusedException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param code one of the codes this type stands for
   * @param message what was wrong, without secrets
   * @param cause the underlying failure, or null
   */
  public PaymentRefusedException(ErrorCode code, String message, Throwable cause) {
    super(checked(code), message, cause);
  }

  private static ErrorCode checked(ErrorCode code) {
    if (!CODES.contains(code)) {
      throw new IllegalArgumentException(code + " is not a code of PaymentRefusedException");
    }
    return code;
  }
}
