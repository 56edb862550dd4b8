package dev.mpp.rail.stripe;

import dev.mpp.wallet.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * How much paying through Stripe costs on top of the amount, so the wallet's cheapest-rail choice
 * can weigh card fees against on-chain costs. The estimate is in the charge's own currency.
 */
@FunctionalInterface
public interface StripeFees {

  /**
   * The fee for paying {@code amount}.
   *
   * @param amount the amount asked for, in the charge's currency
   * @return the fee, in the same asset as {@code amount}
   */
  Money estimate(Money amount);

  /** No fee: the default, for when card costs are not passed on to the agent. */
  static StripeFees none() {
    return amount -> Money.zero(amount.asset());
  }

  /**
   * A percentage of the amount plus a fixed fee, rounded up to the next minor unit so the estimate
   * never understates the cost (e.g. {@code percentPlusFixed(new BigDecimal("2.9"), 30)} for 2.9% +
   * 30¢).
   *
   * @param percent the proportional part in percent, 0 to 100
   * @param fixedUnits the fixed part in the currency's minor units (cents), at least 0
   */
  static StripeFees percentPlusFixed(BigDecimal percent, long fixedUnits) {
    Objects.requireNonNull(percent, "percent");
    if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw new IllegalArgumentException("percent must be between 0 and 100");
    }
    if (fixedUnits < 0) {
      throw new IllegalArgumentException("fixedUnits must not be negative");
    }
    BigDecimal fixed = BigDecimal.valueOf(fixedUnits);
    return amount -> {
      BigDecimal proportional = new BigDecimal(amount.units()).multiply(percent).movePointLeft(2);
      BigDecimal total = proportional.add(fixed).setScale(0, RoundingMode.CEILING);
      return new Money(total.toBigIntegerExact(), amount.asset());
    };
  }
}
