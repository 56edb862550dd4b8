package dev.mpp.wallet;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An exact amount of an {@link Asset} in base units. Never floating point.
 *
 * @param units the amount in the asset's base units (non-negative)
 * @param asset what the amount is counted in
 */
public record Money(BigInteger units, Asset asset) {

  /** Validates the components. */
  public Money {
    Objects.requireNonNull(units, "units");
    Objects.requireNonNull(asset, "asset");
    if (units.signum() < 0) {
      throw new IllegalArgumentException("amount must not be negative");
    }
  }

  /** Zero of {@code asset}. */
  public static Money zero(Asset asset) {
    return new Money(BigInteger.ZERO, asset);
  }

  /** The amount in whole units, e.g. {@code 0.01} for 10000 base units of a 6-decimal token. */
  public BigDecimal toDecimal() {
    return new BigDecimal(units, asset.decimals());
  }

  /** The sum of two amounts of the same asset. */
  public Money plus(Money other) {
    if (!asset.equals(other.asset)) {
      throw new IllegalArgumentException("cannot add " + other.asset + " to " + asset);
    }
    return new Money(units.add(other.units), asset);
  }

  @Override
  public String toString() {
    return toDecimal().toPlainString() + " " + asset;
  }
}
