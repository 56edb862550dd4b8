package dev.mpp.client;

import java.util.Objects;

/**
 * Root of every failure the SDK reports. Unchecked, sealed, and always carrying an {@link
 * ErrorCode}. Messages describe what was wrong with the input, never the credential, key or
 * signature involved.
 */
public abstract sealed class MppException extends RuntimeException
    permits ProtocolException,
        PaymentRefusedException,
        PaymentDeniedException,
        PaymentFailedException,
        PaymentOutcomeUnknownException,
        ConfigurationException {

  private final ErrorCode code;

  MppException(ErrorCode code, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The machine-readable reason for this failure. */
  public ErrorCode code() {
    return code;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + code + "]: " + getMessage();
  }
}
