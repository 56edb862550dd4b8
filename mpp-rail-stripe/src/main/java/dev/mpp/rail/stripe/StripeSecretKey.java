package dev.mpp.rail.stripe;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import java.util.Objects;

/**
 * A Stripe secret or restricted API key ({@code sk_…} / {@code rk_…}). The key is only handed to
 * stripe-java; {@link #toString()} shows the mode, never the key, so the holder is safe to log and
 * to keep in configuration objects.
 */
public final class StripeSecretKey {
  private final String value;
  private final boolean testMode;

  private StripeSecretKey(String value, boolean testMode) {
    this.value = value;
    this.testMode = testMode;
  }

  /**
   * Wraps a secret key.
   *
   * @param value the key, starting with {@code sk_live_}, {@code sk_test_}, {@code rk_live_} or
   *     {@code rk_test_}
   * @throws ConfigurationException if the value is not such a key (the message never repeats it)
   */
  public static StripeSecretKey of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.startsWith("pk_")) {
      throw invalid("a publishable key (pk_…) cannot create payment tokens; use a secret key");
    }
    boolean test = value.startsWith("sk_test_") || value.startsWith("rk_test_");
    boolean live = value.startsWith("sk_live_") || value.startsWith("rk_live_");
    if (!test && !live) {
      throw invalid("a Stripe secret key must start with sk_live_, sk_test_, rk_live_ or rk_test_");
    }
    if (value.length() <= "sk_test_".length()) {
      throw invalid("the Stripe secret key is truncated");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw invalid("the Stripe secret key contains whitespace or non-ASCII characters");
      }
    }
    return new StripeSecretKey(value, test);
  }

  /**
   * Reads a secret key from an environment variable.
   *
   * @throws ConfigurationException if the variable is unset or not a secret key
   */
  public static StripeSecretKey fromEnvironment(String variable) {
    String value = System.getenv(Objects.requireNonNull(variable, "variable"));
    if (value == null || value.isBlank()) {
      throw invalid("environment variable " + variable + " is not set");
    }
    return of(value.strip());
  }

  private static ConfigurationException invalid(String message) {
    return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, message);
  }

  /** Whether this is a test-mode key ({@code sk_test_…} or {@code rk_test_…}). */
  public boolean testMode() {
    return testMode;
  }

  /** The key itself, for stripe-java only. */
  String reveal() {
    return value;
  }

  /** Replaces every occurrence of this key in {@code text}, for messages that may echo it. */
  String redactFrom(String text) {
    return text == null ? null : text.replace(value, "[redacted]");
  }

  @Override
  public String toString() {
    return "StripeSecretKey[" + (testMode ? "test" : "live") + ", redacted]";
  }
}
