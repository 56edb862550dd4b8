package dev.mpp.client.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 9457 {@code application/problem+json} body, as MPP servers send with a 402 or other error.
 */
public final class Problem {
  /** Bodies larger than this are not parsed. */
  public static final int MAX_BYTES = 64 * 1024;

  private final ObjectNode json;
  private final ProblemType type;

  private Problem(ObjectNode json) {
    this.json = json;
    this.type = ProblemType.fromUri(Json.text(json, "type"));
  }

  /**
   * Parses a problem body.
   *
   * @throws ProtocolException with {@link ErrorCode#MALFORMED_PROBLEM} when it is not a JSON object
   *     or is larger than {@value #MAX_BYTES} bytes
   */
  public static Problem parse(byte[] body) {
    Objects.requireNonNull(body, "body");
    if (body.length > MAX_BYTES) {
      throw new ProtocolException(ErrorCode.MALFORMED_PROBLEM, "problem body is too large");
    }
    ObjectNode json = Json.parseObject(body);
    if (json == null) {
      throw new ProtocolException(ErrorCode.MALFORMED_PROBLEM, "problem body is not a JSON object");
    }
    return new Problem(json);
  }

  /** A problem of the given type, e.g. for tests and recorded exchanges. */
  public static Problem of(ProblemType type, String detail) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("type", type.uri());
    if (detail != null) {
      json.put("detail", detail);
    }
    return new Problem(json);
  }

  /** The known type, or {@link ProblemType#UNKNOWN}. */
  public ProblemType type() {
    return type;
  }

  /** The {@code type} member as sent. */
  public Optional<String> typeUri() {
    return text("type");
  }

  /** The short summary. */
  public Optional<String> title() {
    return text("title");
  }

  /** The HTTP status the server put in the body. */
  public Optional<Integer> status() {
    JsonNode status = json.get("status");
    return status != null && status.isIntegralNumber() && status.canConvertToInt()
        ? Optional.of(status.intValue())
        : Optional.empty();
  }

  /** The human explanation. */
  public Optional<String> detail() {
    return text("detail");
  }

  /** The challenge the problem is about, when the server said. */
  public Optional<String> challengeId() {
    return text("challengeId");
  }

  /** A string member, including extension members. */
  public Optional<String> text(String field) {
    return Optional.ofNullable(Json.text(json, field));
  }

  /** A copy of the whole body. */
  public ObjectNode json() {
    return json.deepCopy();
  }

  @Override
  public String toString() {
    return "Problem["
        + typeUri().orElse("about:blank")
        + detail().map(d -> ": " + d).orElse("")
        + "]";
  }
}
