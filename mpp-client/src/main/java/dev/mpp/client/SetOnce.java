package dev.mpp.client;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The one-shot rule of this SDK's builders: each one-shot option may be set once, and a second call
 * fails naming the option (as Caffeine's builders do), because silently keeping the last value
 * hides a configuration mistake. Builders of third-party rails and stores may use it too. Not
 * thread-safe, like the builders that hold it.
 */
public final class SetOnce {
  private final Set<String> set = new LinkedHashSet<>();

  /** A rule with no option set yet. */
  public SetOnce() {}

  /**
   * Records that {@code option} is being set.
   *
   * @param option the option's name, as the caller wrote it (e.g. {@code ledger})
   * @throws IllegalStateException when it was set before
   */
  public void mark(String option) {
    if (!set.add(option)) {
      throw new IllegalStateException(option + " was already set");
    }
  }

  /**
   * The same rule for a builder that keeps each option in a field that stays null until set:
   * returns {@code value} when {@code current} is null.
   *
   * @param current the option's field as it is now
   * @param value the value being set
   * @param option the option's name
   * @return {@code value}, to assign to the field
   * @throws IllegalStateException when {@code current} already holds a value
   */
  public static <T> T firstValue(T current, T value, String option) {
    if (current != null) {
      throw new IllegalStateException(option + " was already set");
    }
    return value;
  }

  /** Whether no option has been set yet. */
  public boolean isEmpty() {
    return set.isEmpty();
  }

  /** The options set so far, in the order they were set, e.g. {@code [agent, clock]}. */
  @Override
  public String toString() {
    return set.toString();
  }
}
