package dev.mpp.wallet.policy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Case-insensitive glob patterns where {@code *} matches any run of characters (dots included), so
 * {@code *.example.com} matches {@code api.example.com} and {@code a.b.example.com} but not {@code
 * example.com} itself.
 */
final class Patterns {
  static final Patterns NONE = new Patterns(List.of());

  private final List<String> sources;
  private final List<Pattern> compiled;

  private Patterns(List<String> sources) {
    this.sources = List.copyOf(sources);
    List<Pattern> compiled = new ArrayList<>(sources.size());
    for (String source : this.sources) {
      StringBuilder regex = new StringBuilder();
      for (String literal : source.split("\\*", -1)) {
        if (!regex.isEmpty()) {
          regex.append(".*");
        }
        regex.append(Pattern.quote(literal));
      }
      compiled.add(Pattern.compile(regex.toString(), Pattern.DOTALL));
    }
    this.compiled = List.copyOf(compiled);
  }

  static Patterns of(List<String> sources) {
    List<String> normalized = new ArrayList<>(sources.size());
    for (String source : sources) {
      String pattern = source == null ? "" : source.strip().toLowerCase(Locale.ROOT);
      if (pattern.isEmpty()) {
        throw new ConfigurationException(
            ErrorCode.INVALID_CONFIGURATION, "allow/deny patterns must not be blank");
      }
      normalized.add(pattern);
    }
    return new Patterns(normalized);
  }

  Patterns plus(Patterns more) {
    List<String> all = new ArrayList<>(sources);
    all.addAll(more.sources);
    return new Patterns(all);
  }

  boolean isEmpty() {
    return sources.isEmpty();
  }

  List<String> sources() {
    return sources;
  }

  /** Whether any pattern matches any of {@code values} (null values never match). */
  boolean matchesAny(String... values) {
    for (String value : values) {
      if (value == null) {
        continue;
      }
      String lower = value.toLowerCase(Locale.ROOT);
      for (Pattern pattern : compiled) {
        if (pattern.matcher(lower).matches()) {
          return true;
        }
      }
    }
    return false;
  }
}
