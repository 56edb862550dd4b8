package dev.mpp.wallet;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Amounts in the reference currency: US dollars counted in micro-dollars ({@code long}), the unit
 * every cap, price and fee is normalized to. Parsing is exact: sub-micro precision, signs and
 * floating-point notation are refused rather than rounded.
 */
public final class Usd {
  /** Micro-dollars per dollar. */
  public static final long MICROS_PER_USD = 1_000_000L;

  /**
   * The largest amount the wallet prices or caps: one trillion dollars. Far above any real payment,
   * and far enough below {@link Long#MAX_VALUE} that sums of many such amounts cannot overflow
   * unnoticed.
   */
  public static final long MAX_MICROS = 1_000_000_000_000L * MICROS_PER_USD;

  private Usd() {}

  /**
   * Parses a dollar amount written for people: {@code 5}, {@code 5.00}, {@code $5.00}, {@code
   * 0.05usd} or {@code 0.05 USD}.
   *
   * @return the amount in micro-dollars
   * @throws ConfigurationException when the text is not such an amount, names another currency, is
   *     negative, has more than six decimals, or exceeds {@link #MAX_MICROS}
   */
  public static long parse(String text) {
    if (text == null) {
      throw invalid("amount is missing");
    }
    String s = text.strip();
    if (s.startsWith("$")) {
      s = s.substring(1).strip();
    }
    int letters = s.length();
    while (letters > 0 && Character.isLetter(s.charAt(letters - 1))) {
      letters--;
    }
    String unit = s.substring(letters).toLowerCase(Locale.ROOT);
    String number = s.substring(0, letters).strip();
    if (!unit.isEmpty() && !unit.equals("usd")) {
      throw invalid("unknown currency '" + unit + "' in amount '" + text + "' (amounts are usd)");
    }
    if (!number.matches("[0-9]{1,13}(\\.[0-9]{1,6})?")) {
      throw invalid("'" + text + "' is not a non-negative dollar amount with at most 6 decimals");
    }
    return parse(new BigDecimal(number));
  }

  /**
   * Converts an exact dollar amount to micro-dollars.
   *
   * @throws ConfigurationException when negative, finer than a micro-dollar, or above {@link
   *     #MAX_MICROS}
   */
  public static long parse(BigDecimal dollars) {
    if (dollars.signum() < 0) {
      throw invalid("amount " + dollars.toPlainString() + " must not be negative");
    }
    BigDecimal micros = dollars.movePointRight(6);
    if (micros.stripTrailingZeros().scale() > 0) {
      throw invalid("amount " + dollars.toPlainString() + " has more than 6 decimals");
    }
    if (micros.compareTo(BigDecimal.valueOf(MAX_MICROS)) > 0) {
      throw invalid("amount " + dollars.toPlainString() + " exceeds the maximum of 1e12 usd");
    }
    return micros.longValueExact();
  }

  /** Micro-dollars as an exact dollar amount, e.g. {@code 1500000} as {@code 1.500000}. */
  public static BigDecimal toDecimal(long micros) {
    return BigDecimal.valueOf(micros, 6);
  }

  /** Micro-dollars for people: at least two decimals, no trailing zeros beyond, e.g. 0.0101. */
  public static String format(long micros) {
    BigDecimal value = toDecimal(micros).stripTrailingZeros();
    if (value.scale() < 2) {
      value = value.setScale(2, RoundingMode.UNNECESSARY);
    }
    return value.toPlainString();
  }

  private static ConfigurationException invalid(String message) {
    return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, message);
  }
}
