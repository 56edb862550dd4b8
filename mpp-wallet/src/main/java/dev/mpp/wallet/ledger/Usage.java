package dev.mpp.wallet.ledger;

import java.math.BigInteger;

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
}
