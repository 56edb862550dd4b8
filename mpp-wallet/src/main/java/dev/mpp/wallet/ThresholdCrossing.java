package dev.mpp.wallet;

import dev.mpp.client.PaymentRecord;
import dev.mpp.wallet.ledger.Limit;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * Spend under one cap crossed one of the policy's alert fractions.
 *
 * @param scope the agent or fleet whose cap it is
 * @param rule the cap's rule name, e.g. {@code fleet:acme/cap/day}
 * @param fraction the fraction crossed, e.g. {@code 0.8}
 * @param used counted usage including the payment that crossed, in {@code unit}
 * @param cap the cap, in {@code unit}
 * @param unit {@code usd}, {@code payments}, or the asset key for a cap in base units (amounts then
 *     in whole units of the asset)
 * @param record the payment whose reservation crossed the threshold
 */
public record ThresholdCrossing(
    Limit.Scope scope,
    String rule,
    BigDecimal fraction,
    BigDecimal used,
    BigDecimal cap,
    String unit,
    PaymentRecord record) {

  /** Validates the components. */
  public ThresholdCrossing {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(fraction, "fraction");
    Objects.requireNonNull(used, "used");
    Objects.requireNonNull(cap, "cap");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(record, "record");
  }
}
