package dev.mpp.client;

import java.util.EnumSet;
import java.util.Set;

/** Wire data (a header, a decoded request, a receipt) is malformed; nothing was paid. */
public final class ProtocolException extends MppException {
  private static final Set<ErrorCode> CODES =
      EnumSet.of(
          ErrorCode.MALFORMED_CHALLENGE,
          ErrorCode.HEADER_TOO_LARGE,
          ErrorCode.MALFORMED_REQUEST,
          ErrorCode.INVALID_AMOUNT,
          ErrorCode.MALFORMED_CREDENTIAL,
          ErrorCode.MALFORMED_RECEIPT,
          ErrorCode.MALFORMED_PROBLEM,
          ErrorCode.MALFORMED_ACCEPT_PAYMENT,
          ErrorCode.MALFORMED_DIGEST,
          ErrorCode.UNSAFE_HEADER_VALUE);

  /**
   * Creates the exception.
   *
   * @param code one of the codes this type stands for
   * @param message what was wrong, without secrets
   */
  public ProtocolException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param code one of the codes this type stands for
   * @param message what was wrong, without secrets
   * @param cause the underlying failure, or null
   */
  public ProtocolException(ErrorCode code, String message, Throwable cause) {
    super(checked(code), message, cause);
  }

  private static ErrorCode checked(ErrorCode code) {
    if (!CODES.contains(code)) {
      throw new IllegalArgumentException(code + " is not a code of ProtocolException");
    }
    return code;
  }
}
