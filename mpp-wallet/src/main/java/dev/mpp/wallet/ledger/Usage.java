package dev.mpp.wallet.ledger;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Counted spend of a scope in a window.
 *
 * @param usdMicros sum of normalized amounts
 * @param count number of payments
 * @param units sum of base units of the asset asked for, or zero when no asset was named
 */
public record Usage(long usdMicros, long count, BigInteger units) {
  /** Nothing spent. */
  public static final Usage NONE = new Usage(0, 0, BigInteger.ZERO);

  /** Validates the components. */
  public Usage {
    Objects.requireNonNull(units, "units");
    if (usdMicros < 0 || count < 0 || units.signum() < 0) {
      throw new IllegalArgumentException("usage must not be negative");
    }
  }

  /**
   * This usage plus one payment. Sums saturate at {@link Long#MAX_VALUE} instead of wrapping, so an
   * absurd total can only ever look larger than a cap, never smaller.
   */
  public Usage plus(long paymentUsdMicros, BigInteger paymentUnits) {
    return new Usage(
        saturatedAdd(usdMicros, paymentUsdMicros), saturatedAdd(count, 1), units.add(paymentUnits));
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
