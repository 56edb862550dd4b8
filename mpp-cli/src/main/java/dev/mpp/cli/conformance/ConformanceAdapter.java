package dev.mpp.cli.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ProtocolException;
import dev.mpp.client.wire.Base64Url;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.client.wire.Receipt;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.rail.tempo.TempoProof;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The adapter ABI of the MPP conformance suite (tempoxyz/mpp-tools {@code conformance/}): one
 * request {@code {"schema":1,"op":…,"input":…}} in, one response {@code {"ok":true,"value":…}} or
 * {@code {"ok":false,"error":{"type":…,"message":…}}} out. Thin glue: every answer comes from the
 * public wire API ({@link Challenge}, {@link Credential}, {@link Receipt}, {@link Base64Url}) or
 * {@link TempoProof}; server-side operations answer {@code unsupported_operation} with the reason
 * in {@link #UNSUPPORTED}.
 *
 * <p>Responses are single-line JSON in ASCII (other characters as {@code \\u} escapes), so the
 * output never depends on the platform charset.
 */
public final class ConformanceAdapter {

  /** The ABI version this adapter speaks. */
  public static final int SCHEMA = 1;

  /** The operations this adapter answers, as listed in an adapter manifest's capabilities. */
  public static final Set<String> CAPABILITIES =
      Set.of(
          "challenge.parse",
          "challenge.format",
          "credential.parse",
          "credential.format",
          "receipt.parse",
          "receipt.format",
          "base64url.encode",
          "base64url.decode",
          "tempo.proof.typed_data");

  /** The operations answered {@code unsupported_operation}, each with its reason. */
  public static final Map<String, String> UNSUPPORTED = unsupported();

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .build();

  private static final Set<String> CHALLENGE_FIELDS =
      Set.of(
          "id",
          "realm",
          "method",
          "intent",
          "request",
          "expires",
          "description",
          "digest",
          "opaque");
  private static final Set<String> CREDENTIAL_FIELDS = Set.of("challenge", "payload", "source");
  private static final Set<String> RECEIPT_FIELDS =
      Set.of("status", "method", "timestamp", "reference", "externalId", "extra");

  private ConformanceAdapter() {}

  private static Map<String, String> unsupported() {
    String verify =
        "server-side: checking a Tempo transfer against a challenge is what a server does before"
            + " it issues a receipt; this client SDK's reconciliation (Wallet.reconcilePaid) records"
            + " a reference found by the caller and does not verify transfer logs";
    Map<String, String> reasons = new LinkedHashMap<>();
    reasons.put(
        "challenge.id",
        "server-side: a server mints and checks challenge ids (HMAC-SHA256 with its secret);"
            + " a client only echoes the id it was given");
    reasons.put(
        "server.verify",
        "server-side: verifying a credential against a route's parameters is the server's job");
    reasons.put(
        "tempo.fee_payer.cosign",
        "server-side: co-signing as fee payer needs the sponsor's key and policy; a client only"
            + " asks for sponsorship (methodDetails.feePayer)");
    reasons.put("tempo.receipt.verify", verify);
    reasons.put("tempo.transaction.verify", verify);
    reasons.put(
        "stripe.external_id_binding",
        "server-side: attributing a PaymentIntent to the request's externalId happens where the"
            + " Stripe secret key lives");
    reasons.put(
        "http.payment_request",
        "flow suite: needs the suite's compliance server; the paid-request flow is tested against"
            + " mppx itself in mpp-interop");
    return Map.copyOf(reasons);
  }

  /**
   * Serves requests from {@code in}: one request (the whole input) or, with {@code jsonl}, one
   * request per line (blank lines skipped), each answered on one line and flushed at once.
   *
   * @param in the requests
   * @param out where the responses go; nothing else is written to it
   * @param jsonl whether each line is a request
   * @throws IOException if reading or writing fails
   */
  public static void serve(Reader in, Writer out, boolean jsonl) throws IOException {
    if (!jsonl) {
      StringBuilder all = new StringBuilder();
      char[] buffer = new char[8192];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        all.append(buffer, 0, n);
      }
      out.write(handle(all.toString()));
      out.write('\n');
      out.flush();
      return;
    }
    BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in);
    for (String line; (line = lines.readLine()) != null; ) {
      if (line.isBlank()) {
        continue;
      }
      out.write(handle(line));
      out.write('\n');
      out.flush();
    }
  }

  /**
   * Answers one request given as JSON text. Never throws: a request that is not valid JSON or not
   * an ABI request is answered with {@code unknown_error}.
   *
   * @param request the request JSON
   * @return the response as one line of JSON, without a line terminator
   */
  public static String handle(String request) {
    JsonNode node;
    try {
      node = JSON.readTree(request);
    } catch (JsonProcessingException e) {
      return write(error("unknown_error", "request is not JSON"));
    }
    return write(handle(node));
  }

  /**
   * Answers one request.
   *
   * @param request the request {@code {"schema":1,"op":…,"input":…}}
   * @return the response {@code {"ok":true,"value":…}} or {@code {"ok":false,"error":{…}}}
   */
  public static ObjectNode handle(JsonNode request) {
    if (request == null
        || !request.isObject()
        || !request.path("schema").isIntegralNumber()
        || request.path("schema").intValue() != SCHEMA
        || !request.path("op").isTextual()
        || !request.has("input")) {
      return error("unknown_error", "expected {\"schema\":1,\"op\":…,\"input\":…}");
    }
    String op = request.get("op").textValue();
    JsonNode input = request.get("input");
    String reason = UNSUPPORTED.get(op);
    if (reason != null) {
      return error("unsupported_operation", op + ": " + reason);
    }
    if (!CAPABILITIES.contains(op)) {
      return error("unsupported_operation", "unknown operation " + op);
    }
    try {
      return ok(answer(op, input));
    } catch (ProtocolException | IllegalArgumentException e) {
      return error(errorType(op), e.getMessage());
    } catch (RuntimeException e) {
      return error("unknown_error", e.getClass().getSimpleName());
    }
  }

  private static String errorType(String op) {
    if (op.endsWith(".parse")) {
      return "parse_error";
    }
    if (op.endsWith(".format")) {
      return "format_error";
    }
    if (op.startsWith("base64url.")) {
      return "encoding_error";
    }
    return "generation_error";
  }

  private static JsonNode answer(String op, JsonNode input) {
    return switch (op) {
      case "challenge.parse" -> challengeJson(Challenge.parse(text(input, "header")));
      case "challenge.format" -> header(challenge(input).toHeaderValue());
      case "credential.parse" -> credentialJson(Credential.parse(text(input, "header")));
      case "credential.format" -> header(credential(input).toHeaderValue());
      case "receipt.parse" -> receiptJson(Receipt.parse(text(input, "header")));
      case "receipt.format" -> header(receipt(input).toHeaderValue());
      case "base64url.encode" -> textValue(Base64Url.encodeUtf8(text(input, "text")));
      case "base64url.decode" -> textValue(Base64Url.decodeUtf8(text(input, "text")));
      case "tempo.proof.typed_data" -> proofTypedData(input);
      default -> throw new IllegalStateException("no answer for " + op);
    };
  }

  // --- canonical values (HARNESS_SPEC "Canonical Values") ---------------------------------------

  private static ObjectNode challengeJson(Challenge challenge) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", challenge.id());
    node.put("realm", challenge.realm());
    node.put("method", challenge.method());
    node.put("intent", challenge.intent());
    node.set("request", challenge.request().json());
    challenge.expiresRaw().ifPresent(v -> node.put("expires", v));
    challenge.description().ifPresent(v -> node.put("description", v));
    challenge.digestRaw().ifPresent(v -> node.put("digest", v));
    challenge.opaque().ifPresent(v -> node.put("opaque", v));
    return node;
  }

  private static ObjectNode credentialJson(Credential credential) {
    ObjectNode node = JSON.createObjectNode();
    node.set("challenge", challengeJson(credential.challenge()));
    node.set("payload", credential.payload());
    credential.source().ifPresent(v -> node.put("source", v));
    return node;
  }

  private static ObjectNode receiptJson(Receipt receipt) {
    ObjectNode node = JSON.createObjectNode();
    node.put("status", receipt.status());
    node.put("method", receipt.method());
    node.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(receipt.timestamp().orElseThrow()));
    node.put("reference", receipt.reference());
    receipt.externalId().ifPresent(v -> node.put("externalId", v));
    Map<String, JsonNode> extras = receipt.extras();
    if (!extras.isEmpty()) {
      node.putObject("extra").setAll(extras);
    }
    return node;
  }

  private static ObjectNode header(String value) {
    return JSON.createObjectNode().put("header", value);
  }

  private static ObjectNode textValue(String value) {
    return JSON.createObjectNode().put("text", value);
  }

  // --- canonical values to library types --------------------------------------------------------

  private static Challenge challenge(JsonNode input) {
    object(input, "challenge", CHALLENGE_FIELDS);
    JsonNode request = input.get("request");
    if (request == null || !request.isObject()) {
      throw new IllegalArgumentException("challenge 'request' must be an object");
    }
    return Challenge.builder()
        .id(optionalText(input, "id"))
        .realm(optionalText(input, "realm"))
        .method(optionalText(input, "method"))
        .intent(optionalText(input, "intent"))
        .request(PaymentRequest.of((ObjectNode) request).raw())
        .expires(optionalText(input, "expires"))
        .description(optionalText(input, "description"))
        .digest(optionalText(input, "digest"))
        .opaque(optionalText(input, "opaque"))
        .build();
  }

  private static Credential credential(JsonNode input) {
    object(input, "credential", CREDENTIAL_FIELDS);
    JsonNode payload = input.get("payload");
    if (payload == null || !payload.isObject()) {
      throw new IllegalArgumentException("credential 'payload' must be an object");
    }
    JsonNode source = input.get("source");
    if (source != null && !source.isNull() && !source.isTextual()) {
      throw new IllegalArgumentException("credential 'source' must be a string (a DID) or null");
    }
    return Credential.of(
        challenge(input.get("challenge")),
        (ObjectNode) payload,
        source == null || source.isNull() ? null : source.textValue());
  }

  private static Receipt receipt(JsonNode input) {
    object(input, "receipt", RECEIPT_FIELDS);
    if (!"success".equals(optionalText(input, "status"))) {
      throw new IllegalArgumentException("only 'success' receipts exist (draft §5.3)");
    }
    Receipt.Builder builder =
        Receipt.builder()
            .method(optionalText(input, "method"))
            .timestamp(optionalText(input, "timestamp"))
            .reference(optionalText(input, "reference"))
            .externalId(optionalText(input, "externalId"));
    JsonNode extra = input.get("extra");
    if (extra != null) {
      if (!extra.isObject()) {
        throw new IllegalArgumentException("receipt 'extra' must be an object");
      }
      extra.fields().forEachRemaining(e -> builder.field(e.getKey(), e.getValue()));
    }
    return builder.build();
  }

  /**
   * The proof's typed data. The suite's input has no account: its vector predates {@code mppx}
   * 0.11.0, whose proof (domain version "3", which {@link TempoProof} signs) binds the payer's
   * account, so an {@code account} member is required here.
   */
  private static ObjectNode proofTypedData(JsonNode input) {
    object(input, "proof input", Set.of("chainId", "challengeId", "realm", "account"));
    JsonNode chainId = input.get("chainId");
    if (chainId == null || !chainId.canConvertToLong() || chainId.longValue() <= 0) {
      throw new IllegalArgumentException("'chainId' must be a positive integer");
    }
    if (!input.path("account").isTextual()) {
      throw new IllegalArgumentException(
          "'account' is required: the proof signed since mppx 0.11.0 (domain version "
              + TempoProof.DOMAIN_VERSION
              + ") binds the payer's account");
    }
    return TempoProof.typedData(
        chainId.longValue(),
        EvmAddress.parse(input.get("account").textValue()),
        text(input, "challengeId"),
        text(input, "realm"));
  }

  private static void object(JsonNode input, String what, Set<String> fields) {
    if (input == null || !input.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object");
    }
    for (Iterator<String> names = input.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw new IllegalArgumentException(what + " member '" + name + "' is not supported");
      }
    }
  }

  private static String text(JsonNode input, String field) {
    String value = input == null || !input.isObject() ? null : optionalText(input, field);
    if (value == null) {
      throw new IllegalArgumentException("input '" + field + "' must be a string");
    }
    return value;
  }

  private static String optionalText(JsonNode input, String field) {
    JsonNode value = input.get(field);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' must be a string");
    }
    return value.textValue();
  }

  // --- responses --------------------------------------------------------------------------------

  private static ObjectNode ok(JsonNode value) {
    ObjectNode response = JSON.createObjectNode();
    response.put("ok", true);
    response.set("value", value);
    return response;
  }

  private static ObjectNode error(String type, String message) {
    ObjectNode response = JSON.createObjectNode();
    response.put("ok", false);
    response.putObject("error").put("type", type).put("message", String.valueOf(message));
    return response;
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response could not be serialized", e);
    }
  }
}
