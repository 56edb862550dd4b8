package dev.mpp.rail.card;

import dev.mpp.wallet.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * What paying by card costs the agent on top of the amount (an enabler's or issuer's per-payment
 * fee), so the wallet's cheapest-rail choice can weigh it against other rails. The estimate is in
 * the charge's own currency.
 */
@FunctionalInterface
public interface CardFees {

  /**
   * The fee for paying {@code amount}.
   *
   * @param amount the amount asked for, in the charge's currency
   * @return the fee, in the same asset as {@code amount}
   */
  Money estimate(Money amount);

  /** No fee: the default. */
  static CardFees none() {
    return amount -> Money.zero(amount.asset());
  }

  /**
   * A percentage of the amount plus a fixed fee, rounded up to the next minor unit so the estimate
   * never understates the cost (e.g. {@code percentPlusFixed(new BigDecimal("2.9"), 30)} for 2.9% +
   * 30 minor units).
   *
   * @param percent the proportional part in percent, 0 to 100
   * @param fixedMinorUnits the fixed part in the charge currency's minor units, at least 0
   */
  static CardFees percentPlusFixed(BigDecimal percent, long fixedMinorUnits) {
    Objects.requireNonNull(percent, "percent");
    if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw new IllegalArgumentException("percent must be between 0 and 100");
    }
    if (fixedMinorUnits < 0) {
      throw new IllegalArgumentException("fixedMinorUnits must not be negative");
    }
    BigDecimal fixed = BigDecimal.valueOf(fixedMinorUnits);
    return amount -> {
      BigDecimal proportional = new BigDecimal(amount.units()).multiply(percent).movePointLeft(2);
      BigDecimal total = proportional.add(fixed).setScale(0, RoundingMode.CEILING);
      return new Money(total.toBigIntegerExact(), amount.asset());
    };
  }
}
