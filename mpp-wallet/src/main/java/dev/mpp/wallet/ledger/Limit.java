package dev.mpp.wallet.ledger;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Usd;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One cap that a reservation must fit under, checked atomically by the {@link LedgerStore} together
 * with the insert. Counted spend is every record of the scope in state HELD, PAID or UNKNOWN
 * created at or after {@code since} (and, for per-asset limits, in that asset).
 *
 * <p>Every store decides with {@link #counts}, {@link #after} and {@link #check}, so that all
 * stores agree on what counts and on how a denial reads. A record outside a per-asset limit's asset
 * fits under it trivially: it adds nothing to what that limit counts.
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
   * Whether {@code record}, as stored, counts against this limit: same scope, a counting state,
   * created at or after {@link #since}, and in {@link #assetKey} when set.
   */
  public boolean counts(PaymentRecord record) {
    return record.state().counts()
        && scope.includes(record)
        && (since == null || !record.createdAt().isBefore(since))
        && inAsset(record);
  }

  /** Whether {@code record}'s amount is of this limit's asset (always true without an asset). */
  public boolean inAsset(PaymentRecord record) {
    return assetKey == null || assetKey.equals(Asset.keyOf(record));
  }

  /** The usage after adding {@code record} to {@code before} (unchanged if not in the asset). */
  public Usage after(Usage before, PaymentRecord record) {
    if (!inAsset(record)) {
      return before;
    }
    return before.plus(record.usdMicros(), assetKey == null ? BigInteger.ZERO : record.amount());
  }

  /**
   * Checks whether {@code record} fits under this limit given the counted usage before it.
   *
   * @return the denial naming this rule, the amount, the cap and what remains; empty if it fits
   */
  public Optional<PaymentDeniedException> check(Usage before, PaymentRecord record) {
    if (!inAsset(record)) {
      return Optional.empty();
    }
    Usage after = after(before, record);
    if (maxUsdMicros != null && after.usdMicros() > maxUsdMicros) {
      return Optional.of(
          denial(
              Usd.toDecimal(record.usdMicros()),
              Usd.toDecimal(maxUsdMicros),
              Usd.toDecimal(Math.max(0, maxUsdMicros - before.usdMicros())),
              "usd"));
    }
    if (maxCount != null && after.count() > maxCount) {
      return Optional.of(
          denial(
              BigDecimal.ONE,
              BigDecimal.valueOf(maxCount),
              BigDecimal.valueOf(Math.max(0, maxCount - before.count())),
              "payments"));
    }
    if (maxUnits != null && after.units().compareTo(maxUnits) > 0) {
      int decimals = record.decimals();
      return Optional.of(
          denial(
              new BigDecimal(record.amount(), decimals),
              new BigDecimal(maxUnits, decimals),
              new BigDecimal(maxUnits.subtract(before.units()).max(BigInteger.ZERO), decimals),
              assetKey));
    }
    return Optional.empty();
  }

  private PaymentDeniedException denial(
      BigDecimal amount, BigDecimal limit, BigDecimal remaining, String unit) {
    String message =
        rule
            + ": "
            + show(amount, unit)
            + " would exceed the limit of "
            + show(limit, unit)
            + " ("
            + show(remaining, unit)
            + " remaining)";
    return new PaymentDeniedException(
        ErrorCode.POLICY_DENIED, rule, amount, limit, remaining, unit, message);
  }

  private static String show(BigDecimal value, String unit) {
    String number =
        unit.equals("usd")
            ? Usd.format(value.movePointRight(6).longValueExact())
            : value.stripTrailingZeros().toPlainString();
    return number + " " + unit;
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

    /** Whether {@code record} belongs to this scope. */
    public boolean includes(PaymentRecord record) {
      return name.equals(kind == Kind.AGENT ? record.agent() : record.fleet());
    }

    /** {@code agent:<name>} or {@code fleet:<name>}, the prefix of rule names. */
    public String label() {
      return (kind == Kind.AGENT ? "agent:" : "fleet:") + name;
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
