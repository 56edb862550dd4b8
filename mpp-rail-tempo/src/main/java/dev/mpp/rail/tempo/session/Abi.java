package dev.mpp.rail.tempo.session;

import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * Builds and reads ABI data made of static 32-byte words only: every escrow call a session makes
 * (addresses, unsigned integers, {@code bytes32}, and static tuples of those, which the ABI lays
 * out inline). Keeping to static types keeps the encoder small enough to audit.
 */
final class Abi {

  private final byte[] data;
  private int offset;

  private Abi(int selectorBytes, int words) {
    this.data = new byte[selectorBytes + 32 * words];
    this.offset = selectorBytes;
  }

  /** Starts call data: the 4-byte selector followed by {@code words} argument words. */
  static Abi call(byte[] selector, int words) {
    if (selector.length != 4) {
      throw new IllegalArgumentException("a selector has 4 bytes");
    }
    Abi abi = new Abi(4, words);
    System.arraycopy(selector, 0, abi.data, 0, 4);
    return abi;
  }

  /** Starts {@code abi.encode(...)} of {@code words} static values (no selector). */
  static Abi encode(int words) {
    return new Abi(0, words);
  }

  Abi address(EvmAddress address) {
    Objects.requireNonNull(address, "address");
    System.arraycopy(address.toBytes(), 0, data, offset + 12, 20);
    offset += 32;
    return this;
  }

  Abi bytes32(Bytes32 value) {
    Objects.requireNonNull(value, "value");
    value.copyTo(data, offset);
    offset += 32;
    return this;
  }

  /**
   * Appends a {@code uint<bits>}.
   *
   * @throws IllegalArgumentException if {@code value} is negative or does not fit in {@code bits}
   */
  Abi uint(BigInteger value, int bits) {
    Objects.requireNonNull(value, "value");
    if (value.signum() < 0 || value.bitLength() > bits) {
      throw new IllegalArgumentException("value does not fit in uint" + bits);
    }
    byte[] bytes = value.toByteArray();
    int start = bytes.length > 32 ? bytes.length - 32 : 0;
    int length = bytes.length - start;
    System.arraycopy(bytes, start, data, offset + 32 - length, length);
    offset += 32;
    return this;
  }

  Abi uint256(long value) {
    return uint(BigInteger.valueOf(value), 256);
  }

  /** Returns the data; every word must have been written. */
  byte[] build() {
    if (offset != data.length) {
      throw new IllegalStateException("wrote " + offset + " of " + data.length + " bytes");
    }
    return data;
  }

  // --- Reading return data -------------------------------------------------------------------

  /** The word at {@code index} of {@code data}, which must be long enough. */
  static byte[] word(byte[] data, int index) {
    if (data.length < 32 * (index + 1)) {
      throw new IllegalArgumentException("return data too short");
    }
    return Arrays.copyOfRange(data, 32 * index, 32 * (index + 1));
  }

  /** Reads an unsigned integer word, checking it fits {@code bits}. */
  static BigInteger readUint(byte[] data, int index, int bits) {
    BigInteger value = new BigInteger(1, word(data, index));
    if (value.bitLength() > bits) {
      throw new IllegalArgumentException("word " + index + " is not a uint" + bits);
    }
    return value;
  }

  /** Reads an address word, checking its 12 padding bytes are zero. */
  static EvmAddress readAddress(byte[] data, int index) {
    byte[] word = word(data, index);
    for (int i = 0; i < 12; i++) {
      if (word[i] != 0) {
        throw new IllegalArgumentException("word " + index + " is not an address");
      }
    }
    return EvmAddress.of(Arrays.copyOfRange(word, 12, 32));
  }

  /** Reads a bool word (0 or 1 only). */
  static boolean readBool(byte[] data, int index) {
    BigInteger value = readUint(data, index, 1);
    return value.signum() != 0;
  }
}
