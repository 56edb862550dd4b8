package dev.mpp.ledger.jdbc;

import java.util.HashSet;
import java.util.Set;

/**
 * The one-shot rule of the store builders: each option may be set once, and a second call fails
 * naming the option (as Caffeine's builders do), because silently keeping the last value hides a
 * configuration mistake.
 */
final class SetOnce {
  private final Set<String> set = new HashSet<>();

  /**
   * Records that {@code option} is being set.
   *
   * @throws IllegalStateException when it was set before
   */
  void mark(String option) {
    if (!set.add(option)) {
      throw new IllegalStateException(option + " was already set");
    }
  }
}
