package dev.mpp.testkit.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only parser for {@code WWW-Authenticate} values holding one or more {@code Payment}
 * challenges ({@code Payment k="v", k="v", Payment k="v"}). Independent of the SDK's parser on
 * purpose: these tests pin what the reference server sends, not what our code accepts.
 */
final class PaymentChallengeHeader {

  private PaymentChallengeHeader() {}

  /** Each challenge's auth-params, in header order, with quoted-string escapes removed. */
  static List<Map<String, String>> parse(String header) {
    List<Map<String, String>> challenges = new ArrayList<>();
    Map<String, String> current = null;
    int i = 0;
    int n = header.length();
    while (i < n) {
      while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ',')) {
        i++;
      }
      int start = i;
      while (i < n && isTokenChar(header.charAt(i))) {
        i++;
      }
      String token = header.substring(start, i);
      if (token.isEmpty()) {
        throw new IllegalArgumentException("unexpected character at " + i + ": " + header);
      }
      if (i < n && header.charAt(i) == '=') {
        if (current == null) {
          throw new IllegalArgumentException("auth-param before any scheme: " + header);
        }
        i++;
        StringBuilder value = new StringBuilder();
        if (i < n && header.charAt(i) == '"') {
          i++;
          while (i < n && header.charAt(i) != '"') {
            char c = header.charAt(i++);
            value.append(c == '\\' && i < n ? header.charAt(i++) : c);
          }
          i++; // closing quote
        } else {
          while (i < n && header.charAt(i) != ',') {
            value.append(header.charAt(i++));
          }
        }
        if (current.put(token.toLowerCase(java.util.Locale.ROOT), value.toString().trim())
            != null) {
          throw new IllegalArgumentException("duplicate parameter " + token + ": " + header);
        }
      } else {
        if (!token.equalsIgnoreCase("Payment")) {
          throw new IllegalArgumentException("unexpected scheme " + token + ": " + header);
        }
        current = new LinkedHashMap<>();
        challenges.add(current);
      }
    }
    return challenges;
  }

  private static boolean isTokenChar(char c) {
    return Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
