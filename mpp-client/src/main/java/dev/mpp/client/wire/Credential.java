package dev.mpp.client.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code Authorization: Payment} credential: the echoed challenge, the method-specific payload
 * and, when the rail has one, the payer's {@code source} DID.
 *
 * <p>A credential is a bearer instrument worth money: {@link #toString()} never shows the payload,
 * and only {@link #toHeaderValue()} produces the wire form.
 */
public final class Credential {
  private static final String PREFIX = "Payment ";

  private final Challenge challenge;
  private final ObjectNode payload;
  private final String source;

  private Credential(Challenge challenge, ObjectNode payload, String source) {
    this.challenge = Objects.requireNonNull(challenge, "challenge");
    this.payload = Objects.requireNonNull(payload, "payload").deepCopy();
    this.source = source;
  }

  /**
   * Creates a credential answering {@code challenge}.
   *
   * @param challenge the challenge being paid, echoed exactly
   * @param payload the method-specific payload
   * @param source the payer's DID (e.g. {@code did:pkh:eip155:4217:0x…}), or null
   */
  public static Credential of(Challenge challenge, ObjectNode payload, String source) {
    return new Credential(challenge, payload, source);
  }

  /**
   * Parses an {@code Authorization} header value ({@code Payment <base64url>}).
   *
   * @throws ProtocolException with {@link ErrorCode#MALFORMED_CREDENTIAL}
   */
  public static Credential parse(String headerValue) {
    String value = headerValue.strip();
    if (value.length() < PREFIX.length()
        || !value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw malformed("credential must start with 'Payment '");
    }
    String encoded = value.substring(PREFIX.length()).strip();
    if (Base64Url.maxDecodedLength(encoded) > 4 * PaymentRequest.MAX_DECODED_BYTES) {
      throw new ProtocolException(ErrorCode.HEADER_TOO_LARGE, "credential is too large");
    }
    byte[] bytes = Base64Url.decodeOrNull(encoded);
    ObjectNode json = bytes == null ? null : Json.parseObject(bytes);
    if (json == null) {
      throw malformed("credential is not base64url JSON of an object");
    }
    JsonNode c = json.get("challenge");
    JsonNode payload = json.get("payload");
    if (c == null || !c.isObject() || payload == null || !payload.isObject()) {
      throw malformed("credential needs 'challenge' and 'payload' objects");
    }
    JsonNode source = json.get("source");
    if (source != null && !source.isTextual()) {
      throw malformed("credential 'source' must be a string");
    }
    Challenge.Builder echoed =
        Challenge.builder()
            .id(echoedText(c, "id"))
            .realm(echoedText(c, "realm"))
            .method(echoedText(c, "method"))
            .intent(echoedText(c, "intent"))
            .request(echoedText(c, "request"))
            .expires(echoedText(c, "expires"))
            .description(echoedText(c, "description"))
            .digest(echoedText(c, "digest"))
            .opaque(echoedOpaque(c));
    Challenge challenge;
    try {
      challenge = echoed.build();
    } catch (ProtocolException e) {
      throw malformed("credential's echoed challenge is invalid: " + e.getMessage());
    }
    return new Credential(
        challenge, (ObjectNode) payload, source == null ? null : source.textValue());
  }

  /**
   * A string parameter of the echoed challenge, or null when absent. Every challenge parameter is a
   * string (draft-httpauth-payment §5.2): one of another JSON type is an error, never dropped, so a
   * credential cannot lose, say, its {@code expires} on the way through.
   */
  private static String echoedText(JsonNode challenge, String field) {
    JsonNode value = challenge.get(field);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw malformed("credential's echoed challenge field '" + field + "' must be a string");
    }
    return value.textValue();
  }

  /**
   * The echoed {@code opaque}: a base64url string, or the object of strings older {@code mppx}
   * clients wrote instead. That legacy form is kept the way {@code mppx} keeps it, as the JCS
   * base64url string the draft requires (the form servers bind into the challenge id); any other
   * shape is an error.
   */
  private static String echoedOpaque(JsonNode challenge) {
    JsonNode value = challenge.get("opaque");
    if (value == null || value.isTextual()) {
      return value == null ? null : value.textValue();
    }
    if (value.isObject()) {
      boolean strings = true;
      for (JsonNode member : value) {
        strings &= member.isTextual();
      }
      if (strings) {
        return Base64Url.encode(Jcs.canonicalize(value).getBytes(StandardCharsets.UTF_8));
      }
    }
    throw malformed(
        "credential's echoed challenge field 'opaque' must be a string (or an object of strings)");
  }

  private static ProtocolException malformed(String message) {
    return new ProtocolException(ErrorCode.MALFORMED_CREDENTIAL, message);
  }

  /** The challenge this credential answers. */
  public Challenge challenge() {
    return challenge;
  }

  /** A copy of the method-specific payload. Treat it as a secret. */
  public ObjectNode payload() {
    return payload.deepCopy();
  }

  /** The payer's DID, when the rail provides one. */
  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  /** The credential as JSON: {@code {"challenge":{…},"payload":{…},"source":…}}. */
  public ObjectNode toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode c = root.putObject("challenge");
    c.put("id", challenge.id());
    c.put("realm", challenge.realm());
    c.put("method", challenge.method());
    c.put("intent", challenge.intent());
    c.put("request", challenge.request().raw());
    challenge.description().ifPresent(v -> c.put("description", v));
    challenge.digestRaw().ifPresent(v -> c.put("digest", v));
    challenge.expiresRaw().ifPresent(v -> c.put("expires", v));
    challenge.opaque().ifPresent(v -> c.put("opaque", v));
    root.set("payload", payload.deepCopy());
    if (source != null) {
      root.put("source", source);
    }
    return root;
  }

  /**
   * The {@code Authorization} header value: {@code Payment <base64url-nopad JSON>}.
   *
   * @throws ProtocolException with {@link ErrorCode#UNSAFE_HEADER_VALUE} if the result would hold
   *     CR, LF or another control character (base64url never does; this guards the prefix path)
   */
  public String toHeaderValue() {
    String value = PREFIX + Base64Url.encode(Json.write(toJson()).getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new ProtocolException(
            ErrorCode.UNSAFE_HEADER_VALUE, "credential header would contain a control character");
      }
    }
    return value;
  }

  /** Names the challenge only; the payload is a secret. */
  @Override
  public String toString() {
    return "Credential[challenge=" + challenge.id() + ", " + challenge.method() + "]";
  }
}
