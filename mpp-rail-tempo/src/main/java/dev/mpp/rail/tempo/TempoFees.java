package dev.mpp.rail.tempo;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The gas limit and fee caps of one Tempo transaction.
 *
 * @param gas the gas limit
 * @param maxFeePerGas the total fee cap per gas, in attodollars (10^-18 USD)
 * @param maxPriorityFeePerGas the priority fee cap per gas, in attodollars
 */
public record TempoFees(long gas, BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {

  /** Attodollars per base unit of a 6-decimal USD stablecoin. */
  private static final BigInteger ATTO_PER_MICRO = BigInteger.TEN.pow(12);

  /** Validates the components. */
  public TempoFees {
    Objects.requireNonNull(maxFeePerGas, "maxFeePerGas");
    Objects.requireNonNull(maxPriorityFeePerGas, "maxPriorityFeePerGas");
    if (gas <= 0 || maxFeePerGas.signum() < 0 || maxPriorityFeePerGas.signum() < 0) {
      throw new IllegalArgumentException("fees must be non-negative and gas positive");
    }
    if (maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
      throw new IllegalArgumentException("maxPriorityFeePerGas exceeds maxFeePerGas");
    }
  }

  /** The worst-case fee, {@code gas × maxFeePerGas}, in attodollars. */
  public BigInteger maxTotalFee() {
    return BigInteger.valueOf(gas).multiply(maxFeePerGas);
  }

  /**
   * The worst-case fee in base units of a 6-decimal USD fee token, rounded up: what the payer can
   * be charged at most, and what cheapest-rail choice compares.
   */
  public BigInteger maxFeeInTokenUnits() {
    BigInteger[] qr = maxTotalFee().divideAndRemainder(ATTO_PER_MICRO);
    return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
  }
}
