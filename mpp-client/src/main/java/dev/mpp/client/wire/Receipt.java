package dev.mpp.client.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code Payment-Receipt}: the server's statement that a payment settled. Only successful
 * receipts with a reference exist as values; anything else is reported as malformed, not dropped.
 */
public final class Receipt {
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
   *     {@code status} is not {@code success}, or when {@code reference} is missing
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
    Instant at;
    try {
      at = timestamp == null ? null : Challenge.parseTimestamp(timestamp);
    } catch (ProtocolException e) {
      throw malformed("receipt timestamp is not RFC 3339");
    }
    return new Receipt(value, json, method, reference, at);
  }

  private static ProtocolException malformed(String message) {
    return new ProtocolException(ErrorCode.MALFORMED_RECEIPT, message);
  }

  /** The header value exactly as received. */
  public String raw() {
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

  /** When the server settled, if it said. */
  public Optional<Instant> timestamp() {
    return Optional.ofNullable(timestamp);
  }

  /** A copy of the whole receipt JSON, including extras such as {@code challengeId}. */
  public ObjectNode json() {
    return json.deepCopy();
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
}
