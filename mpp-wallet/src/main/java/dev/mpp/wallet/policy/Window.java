package dev.mpp.wallet.policy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The period a cap counts spend over. Windows are rolling: a day cap at 15:00 counts what was
 * reserved since 15:00 the day before, so spend frees up gradually instead of all at midnight. A
 * month is 30 days.
 */
public enum Window {
  /** The last hour. */
  HOUR("hour", Duration.ofHours(1)),
  /** The last 24 hours. */
  DAY("day", Duration.ofDays(1)),
  /** The last 7 days. */
  WEEK("week", Duration.ofDays(7)),
  /** The last 30 days. */
  MONTH("month", Duration.ofDays(30)),
  /** Everything ever recorded. */
  ALL_TIME("all-time", null);

  private final String label;
  private final Duration length;

  Window(String label, Duration length) {
    this.label = label;
    this.length = length;
  }

  /** The name used in rule names and policy files, e.g. {@code day} or {@code all-time}. */
  public String label() {
    return label;
  }

  /** The window's length; empty for {@link #ALL_TIME}. */
  public Optional<Duration> length() {
    return Optional.ofNullable(length);
  }

  /** The start of the window ending at {@code now} (inclusive), or null for all time. */
  public Instant since(Instant now) {
    return length == null ? null : now.minus(length);
  }

  /**
   * The window named {@code label} ({@code hour}, {@code day}, {@code week}, {@code month}, {@code
   * all-time}; case-insensitive).
   *
   * @throws ConfigurationException for any other name
   */
  public static Window of(String label) {
    String key = label == null ? "" : label.strip().toLowerCase(Locale.ROOT);
    for (Window window : values()) {
      if (window.label.equals(key)) {
        return window;
      }
    }
    throw new ConfigurationException(
        ErrorCode.INVALID_CONFIGURATION,
        "unknown window '" + label + "' (expected hour, day, week, month or all-time)");
  }

  @Override
  public String toString() {
    return label;
  }
}
