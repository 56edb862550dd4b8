package dev.mpp.evm.chain;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.web3j.crypto.Keys;

/**
 * A 20-byte EVM account address.
 *
 * <p>Addresses are compared by their 20-byte value, never by their string form, so {@code 0xabc…}
 * and {@code 0xABC…} are equal. Parsing follows EIP-55: an all-lowercase or all-uppercase hex
 * string is accepted as is, but a mixed-case string must carry a valid checksum, because a broken
 * checksum means the address was mistyped or altered and paying it would likely lose the money.
 */
public final class EvmAddress {

  /** The number of bytes in an address. */
  public static final int LENGTH = 20;

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] value;

  // Lazily computed; a benign race (String is immutable and safely published).
  private String checksum;

  private EvmAddress(byte[] value) {
    this.value = value;
  }

  /**
   * Parses a {@code 0x}-prefixed, 40-hex-digit address.
   *
   * @throws IllegalArgumentException if {@code text} is not such an address or has a mixed-case
   *     form whose EIP-55 checksum is wrong
   */
  public static EvmAddress parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException(describeInvalid(text)));
  }

  /**
   * Parses like {@link #parse(String)}, returning empty instead of throwing.
   *
   * @param text the candidate address, may be null
   */
  public static Optional<EvmAddress> tryParse(String text) {
    if (text == null || text.length() != 2 + 2 * LENGTH || !text.startsWith("0x")) {
      return Optional.empty();
    }
    String digits = text.substring(2);
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return Optional.empty();
      }
    }
    EvmAddress address = new EvmAddress(HEX.parseHex(digits));
    boolean uniformCase =
        digits.equals(digits.toLowerCase(Locale.ROOT))
            || digits.equals(digits.toUpperCase(Locale.ROOT));
    if (!uniformCase && !address.toChecksumHex().equals(text)) {
      return Optional.empty();
    }
    return Optional.of(address);
  }

  /**
   * Wraps 20 raw bytes.
   *
   * @param bytes exactly 20 bytes; copied
   */
  public static EvmAddress of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("an address has 20 bytes, got " + bytes.length);
    }
    return new EvmAddress(bytes.clone());
  }

  /** Returns a copy of the 20 address bytes. */
  public byte[] toBytes() {
    return value.clone();
  }

  /** Returns the EIP-55 mixed-case checksummed form, e.g. {@code 0xf39Fd6e5…}. */
  public String toChecksumHex() {
    String result = checksum;
    if (result == null) {
      result = Keys.toChecksumAddress(HEX.formatHex(value));
      checksum = result;
    }
    return result;
  }

  /** Returns the all-lowercase {@code 0x}-prefixed form. */
  public String toLowerHex() {
    return "0x" + HEX.formatHex(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EvmAddress other && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  /** Returns the checksummed form. */
  @Override
  public String toString() {
    return toChecksumHex();
  }

  // The rejected text is never echoed: a private key pasted into an address setting must not
  // end up in a log.
  private static String describeInvalid(String text) {
    if (text == null) {
      return "address is null";
    }
    return "not a valid EIP-55 address (" + text.length() + " characters)";
  }
}
