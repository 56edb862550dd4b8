package dev.mpp.rail.tempo.session;

import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;

/**
 * The two generations of Tempo payment channels. A challenge names its generation in {@code
 * methodDetails.sessionProtocol}; a client must answer in the same one.
 */
public enum SessionProtocol {

  /**
   * Contract-backed escrow ({@code TempoStreamChannel}): the open transaction approves the escrow
   * and calls {@code open}; amounts are {@code uint128}.
   */
  V1("v1", "Tempo Stream Channel", 128),

  /**
   * The TIP-1034 channel escrow precompile: channels are identified by a descriptor bound to the
   * open transaction's expiring-nonce hash; amounts are {@code uint96}.
   */
  V2("v2", "TIP20 Channel Reserve", 96);

  /** The address of the TIP-1034 channel escrow precompile. */
  public static final EvmAddress TIP1034_ESCROW =
      EvmAddress.parse("0x4d50500000000000000000000000000000000000");

  private final String wireName;
  private final String domainName;
  private final int amountBits;
  private final BigInteger maxAmount;

  SessionProtocol(String wireName, String domainName, int amountBits) {
    this.wireName = wireName;
    this.domainName = domainName;
    this.amountBits = amountBits;
    this.maxAmount = BigInteger.ONE.shiftLeft(amountBits).subtract(BigInteger.ONE);
  }

  /**
   * The protocol a challenge's {@code methodDetails.sessionProtocol} names; absent means {@link
   * #V1} (the spec's backwards-compatible default).
   *
   * @return empty for any other value, which a client must not answer
   */
  public static Optional<SessionProtocol> fromWire(String value) {
    if (value == null) {
      return Optional.of(V1);
    }
    for (SessionProtocol protocol : values()) {
      if (protocol.wireName.equals(value)) {
        return Optional.of(protocol);
      }
    }
    return Optional.empty();
  }

  /** The value of {@code methodDetails.sessionProtocol}, e.g. {@code v2}. */
  public String wireName() {
    return wireName;
  }

  /** The EIP-712 domain name of vouchers. */
  public String domainName() {
    return domainName;
  }

  /** The width of amounts in vouchers and escrow calls: 128 (v1) or 96 (v2). */
  public int amountBits() {
    return amountBits;
  }

  /** The largest amount a voucher, deposit or top-up may carry. */
  public BigInteger maxAmount() {
    return maxAmount;
  }

  /** Whether {@code amount} is non-negative and fits {@link #amountBits()}. */
  public boolean fits(BigInteger amount) {
    return amount.signum() >= 0 && amount.compareTo(maxAmount) <= 0;
  }

  @Override
  public String toString() {
    return wireName.toUpperCase(Locale.ROOT);
  }
}
