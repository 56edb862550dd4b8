package dev.mpp.rail.tempo;

import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** One call in a Tempo transaction's batch: {@code [to, value, input]}. */
public final class TempoCall {

  private final EvmAddress to;
  private final BigInteger value;
  private final byte[] input;

  private TempoCall(EvmAddress to, BigInteger value, byte[] input) {
    this.to = to;
    this.value = value;
    this.input = input;
  }

  /**
   * Creates a call.
   *
   * @param value native value, non-negative and below 2^256
   * @param input call data; copied
   */
  public static TempoCall of(EvmAddress to, BigInteger value, byte[] input) {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(input, "input");
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new IllegalArgumentException("value must be a uint256");
    }
    return new TempoCall(to, value, input.clone());
  }

  /** Returns the call target. */
  public EvmAddress to() {
    return to;
  }

  /** Returns the native value sent with the call. */
  public BigInteger value() {
    return value;
  }

  /** Returns a copy of the call data. */
  public byte[] input() {
    return input.clone();
  }

  byte[] inputUnsafe() {
    return input;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TempoCall other
        && to.equals(other.to)
        && value.equals(other.value)
        && Arrays.equals(input, other.input);
  }

  @Override
  public int hashCode() {
    return Objects.hash(to, value, Arrays.hashCode(input));
  }

  @Override
  public String toString() {
    return "TempoCall[to="
        + to
        + ", value="
        + value
        + ", input=0x"
        + HexFormat.of().formatHex(input)
        + "]";
  }
}
