package dev.mpp.wallet.ledger;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * One cap that a reservation must fit under, checked atomically by the {@link LedgerStore} together
 * with the insert. Counted spend is every record of the scope in state HELD, PAID or UNKNOWN
 * created at or after {@code since}.
 *
 * @param rule the rule's name for denials, e.g. {@code fleet:acme/day}
 * @param scope whose records count
 * @param since the window start (rolling windows: now minus the window), or null for all time
 * @param maxUsdMicros the cap on the normalized amount, or null
 * @param maxCount the cap on the number of payments, or null
 * @param assetKey restricts counting to one asset ({@code Asset.key()}) for per-asset caps, or null
 *     for all assets
 * @param maxUnits the cap in the asset's base units (requires {@code assetKey}), or null
 */
public record Limit(
    String rule,
    Scope scope,
    Instant since,
    Long maxUsdMicros,
    Long maxCount,
    String assetKey,
    BigInteger maxUnits) {

  /** Validates the components. */
  public Limit {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(scope, "scope");
    if (maxUsdMicros == null && maxCount == null && maxUnits == null) {
      throw new IllegalArgumentException("a limit needs at least one cap");
    }
    if ((maxUnits == null) != (assetKey == null) && maxUnits != null) {
      throw new IllegalArgumentException("maxUnits requires assetKey");
    }
    if ((maxUsdMicros != null && maxUsdMicros < 0)
        || (maxCount != null && maxCount < 0)
        || (maxUnits != null && maxUnits.signum() < 0)) {
      throw new IllegalArgumentException("caps must not be negative");
    }
  }

  /**
   * Whose records a limit counts.
   *
   * @param kind agent or fleet
   * @param name the agent's or fleet's name
   */
  public record Scope(Kind kind, String name) {
    /** Validates the components. */
    public Scope {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(name, "name");
    }

    /** The records of one agent. */
    public static Scope agent(String name) {
      return new Scope(Kind.AGENT, name);
    }

    /** The records of every agent of one fleet. */
    public static Scope fleet(String name) {
      return new Scope(Kind.FLEET, name);
    }

    /** Agent or fleet. */
    public enum Kind {
      /** Records whose agent is the name. */
      AGENT,
      /** Records whose fleet is the name. */
      FLEET
    }
  }
}
