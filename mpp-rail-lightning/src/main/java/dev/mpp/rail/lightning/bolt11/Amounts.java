package dev.mpp.rail.lightning.bolt11;

import java.math.BigInteger;
import java.util.OptionalLong;

/**
 * The amount of a BOLT #11 human-readable part: decimal bitcoin with an optional multiplier ({@code
 * m}, {@code u}, {@code n}, {@code p}), converted to and from millisatoshi.
 */
final class Amounts {
  private static final BigInteger MSAT_PER_BTC = BigInteger.valueOf(100_000_000_000L);

  /** 21 million BTC: anything above cannot be a real amount and would risk overflow. */
  private static final BigInteger MAX_MSAT = MSAT_PER_BTC.multiply(BigInteger.valueOf(21_000_000));

  private Amounts() {}

  /** Parses the text after the prefix: empty means "any amount". */
  static OptionalLong parseMsat(String text) {
    if (text.isEmpty()) {
      return OptionalLong.empty();
    }
    char last = text.charAt(text.length() - 1);
    String digits = Character.isDigit(last) ? text : text.substring(0, text.length() - 1);
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new Bolt11Exception("invalid amount in human-readable part");
    }
    if (digits.charAt(0) == '0') {
      throw new Bolt11Exception("amount has leading zeros or is zero");
    }
    BigInteger value = new BigInteger(digits);
    BigInteger msat =
        switch (Character.isDigit(last) ? ' ' : last) {
          case ' ' -> value.multiply(MSAT_PER_BTC);
          case 'm' -> value.multiply(BigInteger.valueOf(100_000_000L));
          case 'u' -> value.multiply(BigInteger.valueOf(100_000L));
          case 'n' -> value.multiply(BigInteger.valueOf(100L));
          case 'p' -> {
            BigInteger[] qr = value.divideAndRemainder(BigInteger.TEN);
            if (qr[1].signum() != 0) {
              throw new Bolt11Exception("amount has sub-millisatoshi precision");
            }
            yield qr[0];
          }
          default -> throw new Bolt11Exception("invalid amount multiplier '" + last + "'");
        };
    if (msat.compareTo(MAX_MSAT) > 0) {
      throw new Bolt11Exception("amount exceeds 21 million BTC");
    }
    return OptionalLong.of(msat.longValueExact());
  }

  /** The shortest representation: the largest multiplier that divides the amount exactly. */
  static String format(long msat) {
    if (msat <= 0) {
      throw new IllegalArgumentException("amount must be positive: " + msat);
    }
    if (msat % 100_000_000_000L == 0) {
      return Long.toString(msat / 100_000_000_000L);
    }
    if (msat % 100_000_000L == 0) {
      return msat / 100_000_000L + "m";
    }
    if (msat % 100_000L == 0) {
      return msat / 100_000L + "u";
    }
    if (msat % 100L == 0) {
      return msat / 100L + "n";
    }
    return BigInteger.valueOf(msat).multiply(BigInteger.TEN) + "p";
  }
}
