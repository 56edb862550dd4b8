package dev.mpp.rail.tempo;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** A TIP-20 {@code bytes32} transfer memo. */
public final class Memo {

  /** The number of bytes in a memo. */
  public static final int LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] value;

  private Memo(byte[] value) {
    this.value = value;
  }

  /**
   * Parses {@code 0x} followed by exactly 64 hex digits.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static Memo parse(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != 2 + 2 * LENGTH || !hex.startsWith("0x")) {
      throw new IllegalArgumentException("a memo is 0x followed by 64 hex digits");
    }
    for (int i = 2; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        throw new IllegalArgumentException("a memo is 0x followed by 64 hex digits");
      }
    }
    return new Memo(HEX.parseHex(hex, 2, hex.length()));
  }

  /**
   * Wraps 32 bytes.
   *
   * @param bytes exactly 32 bytes; copied
   */
  public static Memo of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a memo has 32 bytes, got " + bytes.length);
    }
    return new Memo(bytes.clone());
  }

  /** Returns a copy of the 32 bytes. */
  public byte[] toBytes() {
    return value.clone();
  }

  /** Returns the {@code 0x}-prefixed lowercase hex form. */
  public String toHex() {
    return "0x" + HEX.formatHex(value);
  }

  void copyTo(byte[] target, int offset) {
    System.arraycopy(value, 0, target, offset, LENGTH);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Memo other && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  /** Returns {@link #toHex()}. */
  @Override
  public String toString() {
    return toHex();
  }
}
