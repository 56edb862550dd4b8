package dev.mpp.client;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The spending policy denied a payment before anything was signed. Carries the rule that denied it,
 * the amount asked for, the rule's limit and what remains under it, so that an agent can explain or
 * adapt (e.g. ask a human, or pick a cheaper resource).
 */
public final class PaymentDeniedException extends MppException {
  private static final Set<ErrorCode> CODES =
      EnumSet.of(ErrorCode.POLICY_DENIED, ErrorCode.BUDGET_EXPIRED, ErrorCode.APPROVAL_DENIED);

  private final String rule;
  private final BigDecimal amount;
  private final BigDecimal limit;
  private final BigDecimal remaining;
  private final String unit;

  /**
   * Creates a denial.
   *
   * @param code {@link ErrorCode#POLICY_DENIED}, {@link ErrorCode#BUDGET_EXPIRED} or {@link
   *     ErrorCode#APPROVAL_DENIED}
   * @param rule the rule that denied, e.g. {@code agent:bot-1/cap/day}
   * @param amount the amount asked for, in {@code unit}, or null when not about an amount
   * @param limit the rule's limit, or null
   * @param remaining what remains under the rule before this payment, or null
   * @param unit the unit of the amounts, e.g. {@code usd} or an asset identifier
   * @param message a human explanation
   */
  public PaymentDeniedException(
      ErrorCode code,
      String rule,
      BigDecimal amount,
      BigDecimal limit,
      BigDecimal remaining,
      String unit,
      String message) {
    super(checked(code), message, null);
    this.rule = Objects.requireNonNull(rule, "rule");
    this.amount = amount;
    this.limit = limit;
    this.remaining = remaining;
    this.unit = unit == null ? "usd" : unit;
  }

  private static ErrorCode checked(ErrorCode code) {
    if (!CODES.contains(code)) {
      throw new IllegalArgumentException(code + " is not a code of PaymentDeniedException");
    }
    return code;
  }

  /** The rule that denied, e.g. {@code fleet:acme/cap/day} or {@code agent:bot/deny/origin}. */
  public String rule() {
    return rule;
  }

  /** The amount asked for, in {@link #unit()}. */
  public Optional<BigDecimal> amount() {
    return Optional.ofNullable(amount);
  }

  /** The rule's limit, in {@link #unit()}. */
  public Optional<BigDecimal> limit() {
    return Optional.ofNullable(limit);
  }

  /** What remained under the rule before this payment, in {@link #unit()}. */
  public Optional<BigDecimal> remaining() {
    return Optional.ofNullable(remaining);
  }

  /** The unit of {@link #amount()}, {@link #limit()} and {@link #remaining()}. */
  public String unit() {
    return unit;
  }
}
