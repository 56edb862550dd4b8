package dev.mpp.rail.stripe;

import java.util.Set;
import java.util.regex.Pattern;

/** How many decimals Stripe's "smallest currency unit" has for each ISO 4217 currency. */
final class StripeCurrencies {
  private static final Pattern ISO_CODE = Pattern.compile("[a-z]{3}");

  // https://docs.stripe.com/currencies#zero-decimal
  private static final Set<String> ZERO_DECIMAL =
      Set.of(
          "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
          "xaf", "xof", "xpf");

  // https://docs.stripe.com/currencies#three-decimal
  private static final Set<String> THREE_DECIMAL = Set.of("bhd", "jod", "kwd", "omr", "tnd");

  private StripeCurrencies() {}

  /** Whether {@code code} is a lower-case three-letter code. */
  static boolean isIsoCode(String code) {
    return ISO_CODE.matcher(code).matches();
  }

  /** Decimals of the amounts Stripe takes in {@code code} (lower case). */
  static int decimals(String code) {
    if (ZERO_DECIMAL.contains(code)) {
      return 0;
    }
    return THREE_DECIMAL.contains(code) ? 3 : 2;
  }
}
