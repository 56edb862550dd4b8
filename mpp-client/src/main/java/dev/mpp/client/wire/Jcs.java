package dev.mpp.client.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme: members sorted by UTF-16 code units, minimal string
 * escaping, and numbers written as ECMAScript writes IEEE-754 doubles.
 */
public final class Jcs {
  private Jcs() {}

  /**
   * Canonicalizes a JSON tree.
   *
   * @throws IllegalArgumentException for numbers that are not finite doubles
   */
  public static String canonicalize(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          members.add(it.next());
        }
        // String.compareTo orders by UTF-16 code units, exactly what RFC 8785 §3.2.3 asks.
        members.sort(Map.Entry.comparingByKey());
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> member : members) {
          if (!first) {
            out.append(',');
          }
          first = false;
          writeString(member.getKey(), out);
          out.append(':');
          write(member.getValue(), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> out.append(formatNumber(node.doubleValue()));
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      default -> throw new IllegalArgumentException("not JSON data: " + node.getNodeType());
    }
  }

  /** ECMAScript JSON.stringify string escaping, as RFC 8785 §3.2.2.2 requires. */
  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || isLoneSurrogate(s, i)) {
            // Lone surrogates are escaped as ECMAScript's well-formed JSON.stringify does.
            out.append("\\u");
            for (int shift = 12; shift >= 0; shift -= 4) {
              out.append(Character.forDigit((c >> shift) & 0xf, 16));
            }
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }

  /**
   * Formats a double as ECMAScript's Number.prototype.toString does (RFC 8785 §3.2.2.3): the
   * shortest digits that round-trip, in plain notation for exponents -6..20, else exponential.
   */
  static String formatNumber(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("JSON numbers must be finite");
    }
    if (value == 0) {
      return "0";
    }
    StringBuilder out = new StringBuilder();
    if (value < 0) {
      out.append('-');
      value = -value;
    }
    if (value < 0x1p53 && value == Math.rint(value)) {
      // Integers below 2^53 are exact and print as themselves: the common case, made cheap.
      return out.append((long) value).toString();
    }
    BigDecimal shortest = shortestRoundTrip(value).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    // value = 0.d1d2...dk × 10^n, the n of ECMA-262 Number::toString
    int n = shortest.precision() - shortest.scale();
    if (k <= n && n <= 21) {
      out.append(digits).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      int exponent = n - 1;
      out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
    }
    return out.toString();
  }

  /**
   * The decimal with the fewest significant digits that reads back as {@code value}; among two such
   * decimals the one closer to {@code value}, and on a tie the one with an even last digit
   * (ECMA-262 §6.1.6.1.20). Any round-tripping decimal of k digits lies between the k-digit
   * decimals just below and just above the exact value, so only those two need checking; looking
   * only at the nearest one misses the shorter form where the rounding interval is lopsided (at
   * powers of two).
   */
  private static BigDecimal shortestRoundTrip(double value) {
    BigDecimal exact = new BigDecimal(value);
    // The exact expansion can have hundreds of digits; truncating it once to 20 keeps every
    // truncation to 17 or fewer digits exact, and `tail` remembers whether anything was cut.
    BigDecimal head = exact.round(new MathContext(20, RoundingMode.DOWN));
    boolean tail = head.compareTo(exact) != 0;
    // If k digits can round-trip, so can k + 1 (the same decimal with a trailing zero lies
    // between the (k + 1)-digit neighbours), so the shortest length can be found by bisection.
    int lo = 1;
    int hi = 17;
    BigDecimal best = null;
    while (lo <= hi) {
      int precision = (lo + hi) >>> 1;
      BigDecimal found = roundTripping(value, exact, head, tail, precision);
      if (found != null) {
        best = found;
        hi = precision - 1;
      } else {
        lo = precision + 1;
      }
    }
    if (best == null) {
      throw new AssertionError("17 significant digits always identify a double");
    }
    return best;
  }

  /** The {@code precision}-digit decimal that reads back as {@code value}, or null if none does. */
  private static BigDecimal roundTripping(
      double value, BigDecimal exact, BigDecimal head, boolean tail, int precision) {
    BigDecimal below = head.round(new MathContext(precision, RoundingMode.DOWN));
    boolean exactHere = !tail && below.compareTo(head) == 0;
    BigDecimal above = exactHere ? below : below.add(below.ulp());
    boolean belowOk = readsBackAs(below, value);
    boolean aboveOk = !exactHere && readsBackAs(above, value);
    if (belowOk && aboveOk) {
      int cmp = exact.subtract(below).compareTo(above.subtract(exact));
      if (cmp != 0) {
        return cmp < 0 ? below : above;
      }
      return lastDigitEven(below) ? below : above;
    }
    return belowOk ? below : aboveOk ? above : null;
  }

  private static boolean readsBackAs(BigDecimal decimal, double value) {
    return Double.parseDouble(decimal.toString()) == value;
  }

  private static boolean lastDigitEven(BigDecimal decimal) {
    return !decimal.unscaledValue().testBit(0);
  }
}
