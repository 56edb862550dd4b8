package dev.mpp.client;

import java.util.EnumSet;
import java.util.Set;

/** The SDK was configured inconsistently: a bad policy file, a missing key, an invalid option. */
public final class ConfigurationException extends MppException {
  private static final Set<ErrorCode> CODES = EnumSet.of(ErrorCode.INVALID_CONFIGURATION);

  /**
   * Creates the exception.
   *
   * @param code one of the codes this type stands for
   * @param message what was wrong, without secrets
   */
  public ConfigurationException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param code one of the codes this type stands for
   * @param message what was wrong, without secrets
   * @param cause the underlying failure, or null
   */
  public ConfigurationException(ErrorCode code, String message, Throwable cause) {
    super(checked(code), message, cause);
  }

  private static ErrorCode checked(ErrorCode code) {
    if (!CODES.contains(code)) {
      throw new IllegalArgumentException(code + " is not a code of ConfigurationException");
    }
    return code;
  }
}
