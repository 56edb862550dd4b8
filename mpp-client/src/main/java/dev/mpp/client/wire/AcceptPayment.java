package dev.mpp.client.wire;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code Accept-Payment} request header: weighted {@code method/intent} ranges with {@code *}
 * wildcards, telling servers which challenges the client can pay.
 *
 * @param ranges the ranges, in the order written
 */
public record AcceptPayment(List<AcceptPayment.Range> ranges) {
  private static final Pattern METHOD = Pattern.compile("\\*|[a-z][a-z0-9:_-]*");
  private static final Pattern INTENT = Pattern.compile("\\*|[A-Za-z0-9-]+");
  private static final Pattern QVALUE = Pattern.compile("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?");

  /** Copies the list. */
  public AcceptPayment {
    ranges = List.copyOf(ranges);
  }

  /**
   * One range.
   *
   * @param method a method id or {@code *}
   * @param intent an intent or {@code *}
   * @param weight the q-value in thousandths, 0 to 1000 (1000 when omitted)
   */
  public record Range(String method, String intent, int weight) {
    /** Validates the components. */
    public Range {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(intent, "intent");
      if (!METHOD.matcher(method).matches() || !INTENT.matcher(intent).matches()) {
        throw malformed("range must be method/intent with optional '*'");
      }
      if (weight < 0 || weight > 1000) {
        throw malformed("q must be between 0 and 1");
      }
    }

    /** A range with q=1. */
    public static Range of(String method, String intent) {
      return new Range(method, intent, 1000);
    }

    /** Whether this range covers {@code method/intent}. */
    public boolean matches(String method, String intent) {
      return (this.method.equals("*") || this.method.equals(method))
          && (this.intent.equals("*") || this.intent.equals(intent));
    }

    /** The range as written in the header, e.g. {@code stripe/charge;q=0.25}. */
    @Override
    public String toString() {
      String base = method + "/" + intent;
      if (weight == 1000) {
        return base;
      }
      StringBuilder q = new StringBuilder(base).append(";q=0");
      if (weight > 0) {
        String thousandths = Integer.toString(1000 + weight).substring(1); // zero-padded
        q.append('.').append(thousandths.replaceFirst("0+$", ""));
      }
      return q.toString();
    }

    /** How many of method and intent are named rather than {@code *}. */
    int specificity() {
      return (method.equals("*") ? 0 : 1) + (intent.equals("*") ? 0 : 1);
    }
  }

  /** Builds a header from ranges, in the order given. */
  public static AcceptPayment of(Collection<Range> ranges) {
    return new AcceptPayment(new ArrayList<>(ranges));
  }

  /**
   * Parses a header value.
   *
   * @throws ProtocolException with {@link ErrorCode#MALFORMED_ACCEPT_PAYMENT}
   */
  public static AcceptPayment parse(String value) {
    Objects.requireNonNull(value, "value");
    List<Range> ranges = new ArrayList<>();
    for (String element : value.split(",", -1)) {
      String[] parts = element.split(";", -1);
      String token = parts[0].strip();
      if (token.isEmpty() && parts.length == 1) {
        continue; // empty list elements are allowed by the #rule
      }
      int slash = token.indexOf('/');
      if (slash < 0) {
        throw malformed("range must be method/intent");
      }
      if (parts.length > 2) {
        throw malformed("a range takes at most one parameter, q");
      }
      int weight = 1000;
      if (parts.length == 2) {
        String param = parts[1].strip();
        int eq = param.indexOf('=');
        if (eq < 0 || !param.substring(0, eq).strip().equalsIgnoreCase("q")) {
          throw malformed("the only range parameter is q=<weight>");
        }
        String q = param.substring(eq + 1).strip();
        if (!QVALUE.matcher(q).matches()) {
          throw malformed("q must be 0 to 1 with at most three decimals");
        }
        weight = parseWeight(q);
      }
      ranges.add(new Range(token.substring(0, slash), token.substring(slash + 1), weight));
    }
    return new AcceptPayment(ranges);
  }

  private static int parseWeight(String q) {
    int dot = q.indexOf('.');
    int whole = Integer.parseInt(dot < 0 ? q : q.substring(0, dot));
    String frac = dot < 0 ? "" : q.substring(dot + 1);
    return whole * 1000 + (frac.isEmpty() ? 0 : Integer.parseInt((frac + "00").substring(0, 3)));
  }

  private static ProtocolException malformed(String message) {
    return new ProtocolException(ErrorCode.MALFORMED_ACCEPT_PAYMENT, message);
  }

  /**
   * The weight, in thousandths, the client gives {@code method/intent}; 0 when no range matches.
   * Ranked as {@code mppx} ranks them, so that client and server agree: the matching range naming
   * the most of method and intent wins, then the higher weight, then the earlier range.
   */
  public int weightOf(String method, String intent) {
    Range best = null;
    for (Range range : ranges) {
      if (!range.matches(method, intent)) {
        continue;
      }
      if (best == null
          || range.specificity() > best.specificity()
          || (range.specificity() == best.specificity() && range.weight > best.weight)) {
        best = range;
      }
    }
    return best == null ? 0 : best.weight;
  }

  /** The normalized header value, e.g. {@code stripe/charge;q=0.25, *}{@code /session;q=0}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Range range : ranges) {
      if (!out.isEmpty()) {
        out.append(", ");
      }
      out.append(range);
    }
    return out.toString();
  }
}
