package dev.mpp.rail.tempo;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.chain.JsonRpcException;
import java.math.BigInteger;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Chooses the fee caps of one Tempo transaction of a known gas limit, within a {@link
 * TempoChainConfig}'s limits: a fixed {@code maxFeePerGas}, or twice the node's gas price plus the
 * priority fee (headroom for base-fee movement), never above {@code maxFeePerGasCap} nor {@code
 * maxTotalFee / gas}. Shared by the charge and session rails; an internal building block, not
 * needed to use them.
 */
public final class TempoFeePlanner {

  private final TempoChainConfig config;
  private final Supplier<JsonRpcClient> rpc;
  private final String label;

  /**
   * Plans fees under {@code config}.
   *
   * @param rpc the chain's endpoint when needed, or null when none is configured
   * @param label the prefix of this rail's error messages (e.g. {@code "tempo session"})
   */
  public TempoFeePlanner(TempoChainConfig config, Supplier<JsonRpcClient> rpc, String label) {
    this.config = Objects.requireNonNull(config, "config");
    this.rpc = Objects.requireNonNull(rpc, "rpc");
    this.label = Objects.requireNonNull(label, "label");
  }

  /**
   * The fee caps of a transaction of {@code gas}.
   *
   * @throws PaymentFailedException with {@link ErrorCode#RAIL_FAILED} when the fixed fee cap or the
   *     node's current gas price does not fit the configured limits, or the node cannot be asked
   */
  public TempoFees plan(long gas) {
    try {
      BigInteger priority = priorityFee().min(config.maxPriorityFeePerGasCap());
      BigInteger affordable = config.maxTotalFee().divide(BigInteger.valueOf(gas));
      BigInteger maxFee;
      if (config.maxFeePerGas().isPresent()) {
        maxFee = config.maxFeePerGas().get();
        if (maxFee.compareTo(affordable) > 0) {
          throw failed("gas × maxFeePerGas exceeds the configured maximum total fee");
        }
      } else {
        BigInteger price = node().gasPrice();
        maxFee = price.shiftLeft(1).add(priority).min(config.maxFeePerGasCap()).min(affordable);
        if (maxFee.compareTo(price) < 0) {
          throw failed("current gas price " + price + " exceeds the configured fee limits");
        }
      }
      return new TempoFees(gas, maxFee, priority.min(maxFee));
    } catch (JsonRpcException e) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, label + ": fee estimation failed: " + e.getMessage(), e);
    }
  }

  /** The configured priority fee, else the node's suggestion (zero without one). */
  private BigInteger priorityFee() {
    if (config.maxPriorityFeePerGas().isPresent()) {
      return config.maxPriorityFeePerGas().get();
    }
    JsonRpcClient client = rpc.get();
    if (client == null) {
      return BigInteger.ZERO;
    }
    try {
      return client.maxPriorityFeePerGas();
    } catch (JsonRpcException e) {
      if (e.kind() == JsonRpcException.Kind.RPC_ERROR) {
        return BigInteger.ZERO; // the node does not implement the method
      }
      throw e;
    }
  }

  private JsonRpcClient node() {
    JsonRpcClient client = rpc.get();
    if (client == null) {
      throw failed("no JSON-RPC endpoint and no fixed maxFeePerGas configured");
    }
    return client;
  }

  private PaymentFailedException failed(String message) {
    return new PaymentFailedException(ErrorCode.RAIL_FAILED, label + ": " + message);
  }

  @Override
  public String toString() {
    return "TempoFeePlanner[chainId=" + config.chainId() + "]";
  }
}
