package dev.mpp.evm.chain;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The parts of a mined transaction's receipt that payment code needs.
 *
 * @param transactionHash the {@code 0x}-prefixed transaction hash
 * @param success whether execution succeeded ({@code status == 0x1})
 * @param blockNumber the block that includes the transaction
 * @param gasUsed gas consumed by the transaction
 * @param effectiveGasPrice the price per gas actually paid, or null if the node omits it
 */
public record TransactionReceipt(
    String transactionHash,
    boolean success,
    long blockNumber,
    BigInteger gasUsed,
    BigInteger effectiveGasPrice) {

  /** Validates the components. */
  public TransactionReceipt {
    Objects.requireNonNull(transactionHash, "transactionHash");
    Objects.requireNonNull(gasUsed, "gasUsed");
  }
}
