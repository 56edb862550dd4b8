package dev.mpp.rail.tempo.session;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable 32-byte value: a channel id, a salt or a hash. Printed and parsed as {@code 0x}
 * followed by 64 hex digits; parsing accepts either case, printing is always lower case (the
 * session spec compares ids in lower case).
 */
public final class Bytes32 {

  /** The number of bytes. */
  public static final int LENGTH = 32;

  /** Thirty-two zero bytes. */
  public static final Bytes32 ZERO = new Bytes32(new byte[LENGTH]);

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] value;

  private Bytes32(byte[] value) {
    this.value = value;
  }

  /**
   * Wraps 32 bytes.
   *
   * @param bytes exactly 32 bytes; copied
   */
  public static Bytes32 of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("expected 32 bytes, got " + bytes.length);
    }
    return new Bytes32(bytes.clone());
  }

  /**
   * Parses {@code 0x} followed by exactly 64 hex digits.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static Bytes32 parse(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != 2 + 2 * LENGTH || !hex.startsWith("0x")) {
      throw new IllegalArgumentException("expected 0x followed by 64 hex digits");
    }
    for (int i = 2; i < hex.length(); i++) {
      if (Character.digit(hex.charAt(i), 16) < 0) {
        throw new IllegalArgumentException("expected 0x followed by 64 hex digits");
      }
    }
    return new Bytes32(HEX.parseHex(hex, 2, hex.length()));
  }

  /** Returns 32 bytes from {@code random} (use a {@link SecureRandom} for salts). */
  public static Bytes32 random(SecureRandom random) {
    byte[] bytes = new byte[LENGTH];
    random.nextBytes(bytes);
    return new Bytes32(bytes);
  }

  /** Returns a copy of the bytes. */
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
    return o instanceof Bytes32 other && Arrays.equals(value, other.value);
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
