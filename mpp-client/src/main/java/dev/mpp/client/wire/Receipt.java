package dev.mpp.client.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code Payment-Receipt}: the server's statement that a payment settled. Only successful
 * receipts with a method, a reference and an RFC 3339 timestamp exist as values (draft-httpauth-
 * payment §5.3); anything else is reported as malformed, not dropped.
 *
 * <p>Parse one with {@link #parse(String)} or build one with {@link #builder()}; {@link
 * #toHeaderValue()} is the wire form either way.
 */
public final class Receipt {
  /** The members every receipt has; method-specific members come beside them. */
  private static final Set<String> STANDARD =
      Set.of("status", "method", "timestamp", "reference", "externalId");

  private final String raw;
  private final ObjectNode json;
  private final String method;
  private final String reference;
  private final Instant timestamp;

  private Receipt(String raw, ObjectNode json, String method, String reference, Instant timestamp) {
    this.raw = raw;
    this.json = json;
    this.method = method;
    this.reference = reference;
    this.timestamp = timestamp;
  }

  /**
   * Parses a {@code Payment-Receipt} header value (base64url JSON).
   *
   * @throws ProtocolException with {@link ErrorCode#MALFORMED_RECEIPT} when undecodable, when
   *     {@code status} is not {@code success}, when {@code method}, {@code reference} or {@code
   *     timestamp} is missing, when {@code timestamp} is not RFC 3339, or when {@code externalId}
   *     is not a string
   */
  public static Receipt parse(String headerValue) {
    Objects.requireNonNull(headerValue, "headerValue");
    String value = headerValue.strip();
    if (Base64Url.maxDecodedLength(value) > PaymentRequest.MAX_DECODED_BYTES + 2) {
      throw malformed("receipt exceeds " + PaymentRequest.MAX_DECODED_BYTES + " bytes");
    }
    byte[] bytes = Base64Url.decodeOrNull(value);
    ObjectNode json = bytes == null ? null : Json.parseObject(bytes);
    if (json == null) {
      throw malformed("receipt is not base64url JSON of an object");
    }
    return validate(value, json);
  }

  private static Receipt validate(String raw, ObjectNode json) {
    String status = Json.text(json, "status");
    if (!"success".equals(status)) {
      throw malformed("receipt status is not 'success'");
    }
    String reference = Json.text(json, "reference");
    if (reference == null || reference.isEmpty()) {
      throw malformed("receipt has no reference");
    }
    String method = Json.text(json, "method");
    if (method == null) {
      throw malformed("receipt has no method");
    }
    String timestamp = Json.text(json, "timestamp");
    if (timestamp == null) {
      throw malformed("receipt has no timestamp");
    }
    Instant at;
    try {
      at = Challenge.parseTimestamp(timestamp);
    } catch (ProtocolException e) {
      throw malformed("receipt timestamp is not RFC 3339");
    }
    JsonNode externalId = json.get("externalId");
    if (externalId != null && !externalId.isTextual()) {
      throw malformed("receipt externalId must be a string");
    }
    return new Receipt(raw, json, method, reference, at);
  }

  private static ProtocolException malformed(String message) {
    return new ProtocolException(ErrorCode.MALFORMED_RECEIPT, message);
  }

  /** Starts building a successful receipt, e.g. for a test server or a recorded exchange. */
  public static Builder builder() {
    return new Builder();
  }

  /** The header value exactly as received, or as built. */
  public String raw() {
    return raw;
  }

  /**
   * The {@code Payment-Receipt} header value: base64url (no padding) of the receipt JSON. A parsed
   * receipt gives back the value it was parsed from, so it is never re-encoded.
   */
  public String toHeaderValue() {
    return raw;
  }

  /** Always {@code success}: other receipts are refused by {@link #parse(String)}. */
  public String status() {
    return "success";
  }

  /** The payment method that settled. */
  public String method() {
    return method;
  }

  /** The settlement reference, e.g. a transaction hash or payment intent id. */
  public String reference() {
    return reference;
  }

  /**
   * When the server settled. Every receipt has one since parsing requires it; the {@link Optional}
   * is kept so that code written against earlier versions still compiles.
   */
  public Optional<Instant> timestamp() {
    return Optional.of(timestamp);
  }

  /** The merchant's reference echoed by the server ({@code externalId}), if any. */
  public Optional<String> externalId() {
    return text("externalId");
  }

  /** A copy of the whole receipt JSON, including extras such as {@code challengeId}. */
  public ObjectNode json() {
    return json.deepCopy();
  }

  /**
   * Copies of the method-specific members: every member but {@code status}, {@code method}, {@code
   * timestamp}, {@code reference} and {@code externalId}, in wire order.
   */
  public Map<String, JsonNode> extras() {
    Map<String, JsonNode> extras = new LinkedHashMap<>();
    json.fields()
        .forEachRemaining(
            e -> {
              if (!STANDARD.contains(e.getKey())) {
                extras.put(e.getKey(), e.getValue().deepCopy());
              }
            });
    return extras;
  }

  /** A string member of the receipt, e.g. {@code challengeId} or {@code externalId}. */
  public Optional<String> text(String field) {
    return Optional.ofNullable(Json.text(json, field));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Receipt other && raw.equals(other.raw);
  }

  @Override
  public int hashCode() {
    return raw.hashCode();
  }

  @Override
  public String toString() {
    return "Receipt[" + method + ", reference=" + reference + "]";
  }

  /**
   * Builds a successful {@link Receipt}; {@link #build()} applies the checks of {@link
   * #parse(String)}. The JSON is written as {@code status}, {@code method}, {@code timestamp},
   * {@code reference}, {@code externalId}, then the method-specific members in the order set.
   */
  public static final class Builder {
    private String method;
    private String timestamp;
    private String reference;
    private String externalId;
    private final Map<String, JsonNode> extras = new LinkedHashMap<>();

    private Builder() {}

    /** Sets the payment method that settled (required, non-empty). */
    public Builder method(String method) {
      this.method = method;
      return this;
    }

    /** Sets the settlement time as RFC 3339 text, kept exactly (required). */
    public Builder timestamp(String timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    /** Sets the settlement time, written in UTC with {@code Z} (required). */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp == null ? null : DateTimeFormatter.ISO_INSTANT.format(timestamp);
      return this;
    }

    /** Sets the settlement reference (required, non-empty). */
    public Builder reference(String reference) {
      this.reference = reference;
      return this;
    }

    /** Sets the echoed merchant reference, or null for none. */
    public Builder externalId(String externalId) {
      this.externalId = externalId;
      return this;
    }

    /**
     * Adds a method-specific member, e.g. {@code challengeId}; a later call for the same name
     * replaces the value.
     *
     * @throws IllegalArgumentException for a standard member's name: set those with their own
     *     methods
     */
    public Builder field(String name, JsonNode value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (STANDARD.contains(name)) {
        throw new IllegalArgumentException("'" + name + "' has its own builder method");
      }
      extras.put(name, value.deepCopy());
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws ProtocolException with {@link ErrorCode#MALFORMED_RECEIPT} if a required member is
     *     missing or the timestamp is not RFC 3339
     */
    public Receipt build() {
      if (method == null || method.isEmpty()) {
        throw malformed("receipt has no method");
      }
      ObjectNode json = JsonNodeFactory.instance.objectNode();
      json.put("status", "success");
      json.put("method", method);
      if (timestamp != null) {
        json.put("timestamp", timestamp);
      }
      if (reference != null) {
        json.put("reference", reference);
      }
      if (externalId != null) {
        json.put("externalId", externalId);
      }
      extras.forEach((name, value) -> json.set(name, value.deepCopy()));
      String raw = Base64Url.encode(Json.write(json).getBytes(StandardCharsets.UTF_8));
      return validate(raw, json);
    }
  }
}
