package dev.mpp.client.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * RFC 9110 §11 tokenizer for one {@code WWW-Authenticate} field value: a comma-separated list of
 * challenges of any scheme, each followed by auth-params or a token68. Errors are kept per
 * challenge so that one broken challenge does not take its siblings down with it.
 */
final class AuthParams {

  /** One challenge as written on the wire, before any Payment-specific validation. */
  static final class Entry {
    final String scheme;
    final int start;
    final Map<String, String> params = new LinkedHashMap<>();

    /**
     * Names of quoted parameters followed by stray text before the next comma (e.g. unescaped
     * quotes inside a value): the value up to its closing quote is kept and the scheme decides
     * whether that may stand.
     */
    final Set<String> strayAfter = new LinkedHashSet<>();

    int end;
    String token68;
    String error;

    Entry(String scheme, int start) {
      this.scheme = scheme;
      this.start = start;
    }

    void fail(String message) {
      if (error == null) {
        error = message;
      }
    }
  }

  private final String s;
  private int i;

  private AuthParams(String s) {
    this.s = s;
  }

  static List<Entry> parse(String fieldValue) {
    return new AuthParams(fieldValue).run();
  }

  private List<Entry> run() {
    List<Entry> out = new ArrayList<>();
    Entry current = null;
    while (true) {
      skipSeparators();
      if (i >= s.length()) {
        break;
      }
      int start = i;
      String token = readToken();
      if (token.isEmpty()) {
        Entry target = current != null ? current : orphan(out, start);
        target.fail("unexpected character at offset " + i);
        skipPastComma();
        target.end = i;
        continue;
      }
      int afterToken = i;
      skipOws();
      if (i < s.length() && s.charAt(i) == '=') {
        Entry target = current != null ? current : orphan(out, start);
        i++;
        readParam(target, token);
        target.end = i;
      } else {
        current = new Entry(token, start);
        out.add(current);
        i = afterToken;
        readToken68(current);
        current.end = i;
      }
    }
    return out;
  }

  private Entry orphan(List<Entry> out, int start) {
    Entry entry = new Entry("", start);
    entry.fail("auth-param without a scheme");
    out.add(entry);
    return entry;
  }

  private void readParam(Entry target, String name) {
    skipOws();
    if (i >= s.length() || s.charAt(i) == ',') {
      target.fail("auth-param '" + name + "' has no value");
      return;
    }
    if (s.charAt(i) == '=') {
      while (i < s.length() && s.charAt(i) == '=') {
        i++;
      }
      target.fail("token68 where auth-params were expected");
      skipPastComma();
      return;
    }
    String value;
    boolean quoted = s.charAt(i) == '"';
    if (quoted) {
      value = readQuoted(target);
      if (value == null) {
        return;
      }
    } else {
      value = readToken();
      if (value.isEmpty()) {
        target.fail("invalid value for auth-param '" + name + "'");
        skipPastComma();
        return;
      }
    }
    String key = name.toLowerCase(Locale.ROOT);
    if (target.params.containsKey(key)) {
      target.fail("duplicate auth-param '" + key + "'");
    } else {
      target.params.put(key, value);
    }
    skipOws();
    if (i < s.length() && s.charAt(i) != ',') {
      if (quoted) {
        target.strayAfter.add(key);
      } else {
        target.fail("expected ',' after auth-param '" + key + "'");
      }
      skipPastComma();
    }
  }

  /** After a scheme: a token68 is only taken when nothing but a list separator follows it. */
  private void readToken68(Entry entry) {
    int save = i;
    skipOws();
    int start = i;
    while (i < s.length() && isToken68Char(s.charAt(i))) {
      i++;
    }
    if (i == start) {
      i = save;
      return;
    }
    while (i < s.length() && s.charAt(i) == '=') {
      i++;
    }
    int end = i;
    skipOws();
    if (i >= s.length() || s.charAt(i) == ',') {
      entry.token68 = s.substring(start, end);
    } else {
      i = save;
    }
  }

  /**
   * Reads a quoted-string, unescaping quoted-pairs. A backslash followed by {@code u} and four hex
   * digits is decoded as that UTF-16 unit too, because the reference implementation ({@code mppx})
   * writes characters above Latin-1 that way; no conforming sender escapes a plain {@code u}, so
   * the two readings never disagree in practice. A control character makes the value invalid, but
   * the scan still continues to the closing quote so that the next list element is found where it
   * really starts.
   */
  private String readQuoted(Entry target) {
    StringBuilder out = new StringBuilder();
    boolean bad = false;
    i++; // opening quote
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == '"') {
        if (bad) {
          skipPastComma();
          return null;
        }
        return out.toString();
      }
      if (c == '\\') {
        if (i >= s.length()) {
          break;
        }
        c = s.charAt(i++);
        if (c == 'u' && isHex4(i)) {
          out.append((char) Integer.parseInt(s, i, i + 4, 16));
          i += 4;
          continue;
        }
      }
      if (isControl(c)) {
        if (!bad) {
          target.fail("control character in quoted-string");
        }
        bad = true;
        continue;
      }
      out.append(c);
    }
    target.fail("unterminated quoted-string");
    i = s.length();
    return null;
  }

  private boolean isHex4(int at) {
    if (at + 4 > s.length()) {
      return false;
    }
    for (int k = at; k < at + 4; k++) {
      char c = s.charAt(k);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) {
        return false;
      }
    }
    return true;
  }

  /** CTL characters except HTAB, which RFC 9110 allows in quoted-strings. */
  static boolean isControl(char c) {
    return (c < 0x20 && c != '\t') || c == 0x7f;
  }

  private String readToken() {
    int start = i;
    while (i < s.length() && isTchar(s.charAt(i))) {
      i++;
    }
    return s.substring(start, i);
  }

  private void skipOws() {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
  }

  private void skipSeparators() {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == ',')) {
      i++;
    }
  }

  /** Error recovery: resume at the next list element, honouring quoted-strings on the way. */
  private void skipPastComma() {
    boolean quoted = false;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        return;
      }
      i++;
    }
  }

  static boolean isTchar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private static boolean isToken68Char(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-._~+/".indexOf(c) >= 0;
  }
}
