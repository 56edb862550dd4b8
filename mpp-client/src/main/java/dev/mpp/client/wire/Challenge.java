package dev.mpp.client.wire;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One {@code WWW-Authenticate: Payment} challenge: an offer to be paid through one method. Every
 * string is kept exactly as received so that a credential can echo it byte for byte.
 *
 * <p>Parse with {@link #parseAll(List)}, which keeps valid challenges and reports invalid ones
 * separately, or build one with {@link #builder()}.
 */
public final class Challenge {
  /** Header fields larger than this are refused whole. */
  public static final int MAX_FIELD_LENGTH = 64 * 1024;

  private static final Pattern METHOD = Pattern.compile("[a-z][a-z0-9:_-]*");
  private static final Pattern INTENT = Pattern.compile("[A-Za-z0-9-]+");

  /** RFC 3339 {@code date-time}: seconds required, offset {@code Z} or {@code ±hh:mm}. */
  private static final Pattern RFC3339 =
      Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?"
              + "([Zz]|[+-][0-9]{2}:[0-9]{2})");

  /**
   * The parameters a payment decision or the credential echo depends on. Stray text after one of
   * these quoted values (say, an unescaped quote inside it) makes the challenge invalid: the value
   * may have been cut short. After {@code description} (display only) or an unknown parameter
   * (ignored), the value up to its closing quote is kept and the rest of that list element ignored,
   * as the MPP conformance suite expects of every SDK (CONFORMANCE.md, deviations).
   */
  private static final Set<String> PAYMENT_PARAMS =
      Set.of("id", "realm", "method", "intent", "request", "expires", "digest", "opaque");

  private final String id;
  private final String realm;
  private final String method;
  private final String intent;
  private final PaymentRequest request;
  private final String expiresRaw;
  private final Instant expires;
  private final String description;
  private final String digestRaw;
  private final BodyDigest digest;
  private final String opaque;

  private Challenge(Builder b) {
    this.id = text(require(b.id, "id"), "id");
    if (id.isEmpty()) {
      throw malformed("id must not be empty");
    }
    this.realm = text(require(b.realm, "realm"), "realm");
    this.method = require(b.method, "method");
    if (!METHOD.matcher(method).matches()) {
      throw malformed("method must match [a-z][a-z0-9:_-]*");
    }
    this.intent = require(b.intent, "intent");
    if (!INTENT.matcher(intent).matches()) {
      throw malformed("intent must be letters, digits and '-'");
    }
    this.request = PaymentRequest.decode(require(b.request, "request"));
    this.expiresRaw = b.expires;
    this.expires = b.expires == null ? null : parseTimestamp(b.expires);
    this.description = b.description == null ? null : text(b.description, "description");
    this.digestRaw = b.digest == null ? null : text(b.digest, "digest");
    this.digest = b.digest == null ? null : BodyDigest.parse(b.digest);
    this.opaque = b.opaque == null ? null : text(b.opaque, "opaque");
  }

  /** Control characters could never travel in a header, and CR/LF would split one. */
  private static String text(String value, String name) {
    for (int i = 0; i < value.length(); i++) {
      if (AuthParams.isControl(value.charAt(i))) {
        throw malformed("parameter '" + name + "' contains a control character");
      }
    }
    return value;
  }

  private static String require(String value, String name) {
    if (value == null) {
      throw malformed("missing required parameter '" + name + "'");
    }
    return value;
  }

  private static ProtocolException malformed(String message) {
    return new ProtocolException(ErrorCode.MALFORMED_CHALLENGE, message);
  }

  /**
   * Parses an RFC 3339 timestamp as servers write {@code expires}.
   *
   * @throws ProtocolException if the text is not an RFC 3339 date-time with offset
   */
  static Instant parseTimestamp(String text) {
    if (!RFC3339.matcher(text).matches()) {
      throw malformed("expires is not an RFC 3339 date-time");
    }
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(
          text.toUpperCase(Locale.ROOT), Instant::from);
    } catch (DateTimeParseException e) {
      throw malformed("expires is not an RFC 3339 date-time");
    }
  }

  /**
   * Parses every {@code WWW-Authenticate} field of a response. Challenges of other schemes are
   * skipped; each invalid Payment challenge is reported with its reason and does not affect its
   * valid siblings.
   *
   * @param fieldValues the values of all {@code WWW-Authenticate} fields, in order
   * @return the valid and the invalid Payment challenges, in server order
   */
  public static Challenges parseAll(List<String> fieldValues) {
    List<Challenge> valid = new ArrayList<>();
    List<Challenges.Invalid> invalid = new ArrayList<>();
    for (String field : fieldValues) {
      if (field.length() > MAX_FIELD_LENGTH) {
        invalid.add(
            new Challenges.Invalid(
                excerpt(field, 0, field.length()),
                new ProtocolException(
                    ErrorCode.HEADER_TOO_LARGE,
                    "WWW-Authenticate field of "
                        + field.length()
                        + " characters exceeds "
                        + MAX_FIELD_LENGTH)));
        continue;
      }
      for (AuthParams.Entry entry : AuthParams.parse(field)) {
        // A scheme-less entry is an auth-param list that lost its scheme: report it.
        if (!entry.scheme.isEmpty() && !entry.scheme.equalsIgnoreCase("Payment")) {
          continue;
        }
        String excerpt = excerpt(field, entry.start, entry.end);
        try {
          if (entry.error != null) {
            throw malformed(entry.error);
          }
          if (entry.token68 != null) {
            throw malformed("Payment challenges carry auth-params, not a token68");
          }
          for (String name : entry.strayAfter) {
            if (PAYMENT_PARAMS.contains(name)) {
              throw malformed("stray text after the quoted value of '" + name + "'");
            }
          }
          valid.add(fromParams(entry.params));
        } catch (ProtocolException e) {
          invalid.add(new Challenges.Invalid(excerpt, e));
        }
      }
    }
    return new Challenges(valid, invalid);
  }

  /**
   * Parses one header field value that must hold exactly one valid Payment challenge.
   *
   * @throws ProtocolException if it holds none, more than one, or an invalid one
   */
  public static Challenge parse(String fieldValue) {
    Challenges all = parseAll(List.of(fieldValue));
    if (!all.invalid().isEmpty()) {
      throw all.invalid().get(0).error();
    }
    if (all.valid().size() != 1) {
      throw malformed("expected exactly one Payment challenge, found " + all.valid().size());
    }
    return all.valid().get(0);
  }

  private static Challenge fromParams(Map<String, String> p) {
    return builder()
        .id(p.get("id"))
        .realm(p.get("realm"))
        .method(p.get("method"))
        .intent(p.get("intent"))
        .request(p.get("request"))
        .expires(p.get("expires"))
        .description(p.get("description"))
        .digest(p.get("digest"))
        .opaque(p.get("opaque"))
        .build();
  }

  private static String excerpt(String field, int start, int end) {
    int stop = Math.min(end, start + 120);
    String text = field.substring(start, Math.max(start, stop));
    StringBuilder safe = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      safe.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return stop < end ? safe + "…" : safe.toString();
  }

  /** Starts building a challenge, e.g. for a test server or a recorded exchange. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder initialised with this challenge's fields. */
  public Builder toBuilder() {
    return new Builder()
        .id(id)
        .realm(realm)
        .method(method)
        .intent(intent)
        .request(request.raw())
        .expires(expiresRaw)
        .description(description)
        .digest(digestRaw)
        .opaque(opaque);
  }

  /** The challenge identifier, echoed unchanged in the credential. */
  public String id() {
    return id;
  }

  /** The protection space. */
  public String realm() {
    return realm;
  }

  /** The payment method identifier, e.g. {@code tempo}. */
  public String method() {
    return method;
  }

  /** The payment intent, e.g. {@code charge}. */
  public String intent() {
    return intent;
  }

  /** The decoded payment request; {@link PaymentRequest#raw()} is the wire string. */
  public PaymentRequest request() {
    return request;
  }

  /** When the challenge expires, if the server said. */
  public Optional<Instant> expires() {
    return Optional.ofNullable(expires);
  }

  /** The {@code expires} parameter exactly as received. */
  public Optional<String> expiresRaw() {
    return Optional.ofNullable(expiresRaw);
  }

  /** The human-readable description; display only, never trusted for amounts. */
  public Optional<String> description() {
    return Optional.ofNullable(description);
  }

  /** The body digest the credential must be sent with, if any. */
  public Optional<BodyDigest> digest() {
    return Optional.ofNullable(digest);
  }

  /** The {@code digest} parameter exactly as received. */
  public Optional<String> digestRaw() {
    return Optional.ofNullable(digestRaw);
  }

  /** Server correlation data, echoed unchanged. */
  public Optional<String> opaque() {
    return Optional.ofNullable(opaque);
  }

  /**
   * Whether the challenge must be treated as expired at {@code now}. The margin works against
   * paying: a challenge that expires within {@code margin} of {@code now} already counts as
   * expired, so that a server whose clock runs ahead, or a slow paid retry, never receives a
   * credential for a challenge it considers expired. A challenge without {@code expires} never
   * expires here.
   *
   * @param now the current time
   * @param margin the clock-skew allowance, not negative
   */
  public boolean isExpired(Instant now, Duration margin) {
    return expires != null && !now.plus(margin).isBefore(expires);
  }

  /**
   * {@link #isExpired(Instant, Duration)} with the margin in whole seconds.
   *
   * @param now the current time
   * @param marginSeconds the clock-skew allowance in seconds, not negative
   */
  public boolean isExpired(Instant now, long marginSeconds) {
    return isExpired(now, Duration.ofSeconds(marginSeconds));
  }

  /**
   * Serializes as a {@code WWW-Authenticate} field value. Every value is a quoted-string;
   * characters outside printable ASCII are written as a backslash, {@code u} and four hex digits,
   * the form {@code mppx} writes and reads, so that the value is legal in every HTTP library.
   */
  public String toHeaderValue() {
    StringBuilder out = new StringBuilder("Payment ");
    appendParam(out, "id", id);
    appendParam(out, "realm", realm);
    appendParam(out, "method", method);
    appendParam(out, "intent", intent);
    appendParam(out, "request", request.raw());
    if (expiresRaw != null) {
      appendParam(out, "expires", expiresRaw);
    }
    if (description != null) {
      appendParam(out, "description", description);
    }
    if (digestRaw != null) {
      appendParam(out, "digest", digestRaw);
    }
    if (opaque != null) {
      appendParam(out, "opaque", opaque);
    }
    out.setLength(out.length() - 2);
    return out.toString();
  }

  private static void appendParam(StringBuilder out, String name, String value) {
    out.append(name).append("=\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c == '\t' || (c >= 0x20 && c < 0x7f)) {
        out.append(c);
      } else {
        out.append("\\u");
        for (int shift = 12; shift >= 0; shift -= 4) {
          out.append(Character.forDigit((c >> shift) & 0xf, 16));
        }
      }
    }
    out.append("\", ");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Challenge other && toHeaderValue().equals(other.toHeaderValue());
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, realm, method, intent, request.raw());
  }

  @Override
  public String toString() {
    return "Challenge[id=" + id + ", realm=" + realm + ", " + method + "/" + intent + "]";
  }

  /** Builds a {@link Challenge}; {@link #build()} validates every field. */
  public static final class Builder {
    private String id;
    private String realm;
    private String method;
    private String intent;
    private String request;
    private String expires;
    private String description;
    private String digest;
    private String opaque;

    private Builder() {}

    /** Sets the challenge id (required, non-empty). */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** Sets the realm (required). */
    public Builder realm(String realm) {
      this.realm = realm;
      return this;
    }

    /** Sets the method (required, lowercase). */
    public Builder method(String method) {
      this.method = method;
      return this;
    }

    /** Sets the intent (required). */
    public Builder intent(String intent) {
      this.intent = intent;
      return this;
    }

    /** Sets the base64url request string exactly as it goes on the wire (required). */
    public Builder request(String request) {
      this.request = request;
      return this;
    }

    /** Sets the RFC 3339 expiry, or null. */
    public Builder expires(String expires) {
      this.expires = expires;
      return this;
    }

    /** Sets the expiry from an instant, or null. */
    public Builder expires(Instant expires) {
      this.expires = expires == null ? null : DateTimeFormatter.ISO_INSTANT.format(expires);
      return this;
    }

    /** Sets the description, or null. */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** Sets the RFC 9530 body digest, or null. */
    public Builder digest(String digest) {
      this.digest = digest;
      return this;
    }

    /** Sets the opaque correlation data, or null. */
    public Builder opaque(String opaque) {
      this.opaque = opaque;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws ProtocolException if a field is missing or malformed
     */
    public Challenge build() {
      return new Challenge(this);
    }
  }
}
