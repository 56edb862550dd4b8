package dev.mpp.rail.card;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * ISO 4217 minor-unit exponents: how many decimals a card amount's "smallest currency unit" has
 * (draft-card-charge §6.1). Codes not listed have two decimals, as most currencies do.
 */
final class CardCurrencies {
  private static final Pattern ISO_CODE = Pattern.compile("[a-z]{3}");

  // ISO 4217 list one (2024 amendment): the currencies whose minor unit is not 2.
  private static final Map<String, Integer> EXPONENTS =
      Map.ofEntries(
          Map.entry("bif", 0),
          Map.entry("clp", 0),
          Map.entry("djf", 0),
          Map.entry("gnf", 0),
          Map.entry("isk", 0),
          Map.entry("jpy", 0),
          Map.entry("kmf", 0),
          Map.entry("krw", 0),
          Map.entry("pyg", 0),
          Map.entry("rwf", 0),
          Map.entry("ugx", 0),
          Map.entry("uyi", 0),
          Map.entry("vnd", 0),
          Map.entry("vuv", 0),
          Map.entry("xaf", 0),
          Map.entry("xof", 0),
          Map.entry("xpf", 0),
          Map.entry("bhd", 3),
          Map.entry("iqd", 3),
          Map.entry("jod", 3),
          Map.entry("kwd", 3),
          Map.entry("lyd", 3),
          Map.entry("omr", 3),
          Map.entry("tnd", 3),
          Map.entry("clf", 4),
          Map.entry("uyw", 4));

  private CardCurrencies() {}

  /** Whether {@code code} is a lower-case three-letter code, as the draft requires. */
  static boolean isIsoCode(String code) {
    return ISO_CODE.matcher(code).matches();
  }

  /** The minor-unit exponent of {@code code} (lower case): jpy 0, usd 2, kwd 3. */
  static int exponent(String code) {
    return EXPONENTS.getOrDefault(code, 2);
  }
}
