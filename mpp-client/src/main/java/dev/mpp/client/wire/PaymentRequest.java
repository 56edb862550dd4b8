package dev.mpp.client.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The decoded {@code request} parameter of a challenge: method-specific JSON with typed access to
 * the fields every charge shares. {@link #raw()} keeps the wire string exactly as received, since
 * credentials must echo it byte for byte and never re-encode it.
 */
public final class PaymentRequest {
  /** Decoded requests larger than this are refused. */
  public static final int MAX_DECODED_BYTES = 16 * 1024;

  /** Amounts longer than this many digits cannot be any token's amount (2^256 has 78). */
  private static final int MAX_AMOUNT_DIGITS = 78;

  private final String raw;
  private final ObjectNode json;
  private final BigInteger amount;

  private PaymentRequest(String raw, ObjectNode json, BigInteger amount) {
    this.raw = raw;
    this.json = json;
    this.amount = amount;
  }

  /**
   * Decodes a base64url (padding optional) JSON object and validates the shared fields.
   *
   * @throws ProtocolException with {@link ErrorCode#HEADER_TOO_LARGE} above {@value
   *     #MAX_DECODED_BYTES} bytes, {@link ErrorCode#INVALID_AMOUNT} for a bad {@code amount},
   *     otherwise {@link ErrorCode#MALFORMED_REQUEST}
   */
  public static PaymentRequest decode(String raw) {
    Objects.requireNonNull(raw, "raw");
    if (Base64Url.maxDecodedLength(raw) > MAX_DECODED_BYTES + 2) {
      throw new ProtocolException(
          ErrorCode.HEADER_TOO_LARGE, "payment request exceeds " + MAX_DECODED_BYTES + " bytes");
    }
    byte[] bytes = Base64Url.decodeOrNull(raw);
    if (bytes == null) {
      throw malformed("request is not base64url");
    }
    if (bytes.length > MAX_DECODED_BYTES) {
      throw new ProtocolException(
          ErrorCode.HEADER_TOO_LARGE, "payment request exceeds " + MAX_DECODED_BYTES + " bytes");
    }
    ObjectNode json = Json.parseObject(bytes);
    if (json == null) {
      throw malformed("request is not a JSON object");
    }
    for (String field : new String[] {"currency", "recipient", "description", "externalId"}) {
      JsonNode value = json.get(field);
      if (value != null && !value.isTextual()) {
        throw malformed("request field '" + field + "' must be a string");
      }
    }
    JsonNode details = json.get("methodDetails");
    if (details != null && !details.isObject()) {
      throw malformed("request field 'methodDetails' must be an object");
    }
    JsonNode amount = json.get("amount");
    BigInteger parsed = amount == null ? null : parseAmount(amount);
    return new PaymentRequest(raw, json, parsed);
  }

  /**
   * Encodes a JSON object as a request string (JCS, base64url without padding), as a server would.
   */
  public static PaymentRequest of(ObjectNode json) {
    return decode(Base64Url.encode(Jcs.canonicalize(json).getBytes(StandardCharsets.UTF_8)));
  }

  private static BigInteger parseAmount(JsonNode node) {
    if (!node.isTextual()) {
      throw new ProtocolException(ErrorCode.INVALID_AMOUNT, "amount must be a string");
    }
    return parseAmount(node.textValue());
  }

  /**
   * Parses an amount in base units: a non-empty base-10 string of ASCII digits, nothing else.
   *
   * @throws ProtocolException with {@link ErrorCode#INVALID_AMOUNT} otherwise
   */
  public static BigInteger parseAmount(String text) {
    if (text.isEmpty() || text.length() > MAX_AMOUNT_DIGITS) {
      throw new ProtocolException(
          ErrorCode.INVALID_AMOUNT, "amount must be 1 to " + MAX_AMOUNT_DIGITS + " digits");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new ProtocolException(
            ErrorCode.INVALID_AMOUNT, "amount must be a base-10 integer without sign or point");
      }
    }
    return new BigInteger(text);
  }

  private static ProtocolException malformed(String message) {
    return new ProtocolException(ErrorCode.MALFORMED_REQUEST, message);
  }

  /** The request string exactly as received. */
  public String raw() {
    return raw;
  }

  /** A copy of the decoded JSON object. */
  public ObjectNode json() {
    return json.deepCopy();
  }

  /** The amount in the currency's base units, when the request has one. */
  public Optional<BigInteger> amount() {
    return Optional.ofNullable(amount);
  }

  /** The currency: an ISO code for fiat, a token address for chains. */
  public Optional<String> currency() {
    return text("currency");
  }

  /** The recipient of the funds. */
  public Optional<String> recipient() {
    return text("recipient");
  }

  /** The request's description. */
  public Optional<String> description() {
    return text("description");
  }

  /** The merchant's reference, echoed by some methods. */
  public Optional<String> externalId() {
    return text("externalId");
  }

  /** A top-level string member. */
  public Optional<String> text(String field) {
    return Optional.ofNullable(Json.text(json, field));
  }

  /**
   * The method-specific details ({@link MissingNode} when absent); a read-only view by contract.
   */
  public JsonNode methodDetails() {
    JsonNode details = json.get("methodDetails");
    return details == null ? MissingNode.getInstance() : details.deepCopy();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaymentRequest other && raw.equals(other.raw);
  }

  @Override
  public int hashCode() {
    return raw.hashCode();
  }

  @Override
  public String toString() {
    return "PaymentRequest" + Json.write(json);
  }
}
