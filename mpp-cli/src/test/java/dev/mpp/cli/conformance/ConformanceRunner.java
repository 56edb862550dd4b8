package dev.mpp.cli.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Runs the conformance suite's vector files through an adapter with the suite's comparison rules
 * (tempoxyz/mpp-tools {@code conformance/scripts/vector_runner.py} and {@code harness.py}, read,
 * not copied): legacy parse/format/roundtrip/generate vectors go through the same ABI operations
 * the suite maps them to, parse results compare as JSON (a credential's {@code request} string is
 * decoded first), formatted headers compare by parsing both through the adapter, base64url output
 * and operation values compare exactly, errors compare by type, and an error type an operation does
 * not declare counts as {@code unknown_error}. Durations are not compared.
 *
 * <p>Each scenario ends as one of: pass, fail, unsupported (the adapter answered {@code
 * unsupported_operation}), or skipped (restricted to other adapters, no check, or a declared
 * version skew verified to be only that skew).
 */
final class ConformanceRunner {

  /** This adapter's name, for scenarios restricted to named adapters. */
  static final String ADAPTER_NAME = "dev-mpp-java";

  /** An account for the version-skew check of the proof typed data. */
  static final String SKEW_ACCOUNT = "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1";

  /**
   * Scenarios whose vector predates the reference SDK we follow, with the reason. Each is still
   * run, through {@link #checkSkew}, which passes only when the difference is exactly the skew.
   */
  static final Map<String, String> VERSION_SKEW =
      Map.of(
          "tempo-proof.json/zero_amount_proof_shape",
          "version skew: the vector (mpp-tools @ b7f093d) has Proof domain version \"2\" without"
              + " account; mppx 0.11.0 signs version \"3\" with account, as we do (verified: only"
              + " those differ)");

  enum Status {
    PASS,
    FAIL,
    UNSUPPORTED,
    SKIPPED
  }

  /** The end of one scenario. */
  record Outcome(String file, String scenario, Status status, String detail) {}

  private static final Map<String, String> COMMAND_TO_OPERATION =
      Map.ofEntries(
          Map.entry("parse-www-authenticate", "challenge.parse"),
          Map.entry("format-www-authenticate", "challenge.format"),
          Map.entry("parse-authorization", "credential.parse"),
          Map.entry("format-authorization", "credential.format"),
          Map.entry("parse-receipt", "receipt.parse"),
          Map.entry("format-receipt", "receipt.format"),
          Map.entry("base64url-encode", "base64url.encode"),
          Map.entry("base64url-decode", "base64url.decode"),
          Map.entry("generate-challenge-id", "challenge.id"),
          Map.entry("verify-stripe-external-id-binding", "stripe.external_id_binding"),
          Map.entry("tempo-proof-typed-data", "tempo.proof.typed_data"));

  /** Error types each operation may answer besides {@code unsupported_operation}. */
  private static final Map<String, String> ERROR_TYPES =
      Map.ofEntries(
          Map.entry("challenge.parse", "parse_error"),
          Map.entry("credential.parse", "parse_error"),
          Map.entry("receipt.parse", "parse_error"),
          Map.entry("challenge.format", "format_error"),
          Map.entry("credential.format", "format_error"),
          Map.entry("receipt.format", "format_error"),
          Map.entry("base64url.encode", "encoding_error"),
          Map.entry("base64url.decode", "encoding_error"),
          Map.entry("challenge.id", "generation_error"),
          Map.entry("tempo.proof.typed_data", "generation_error"),
          Map.entry("stripe.external_id_binding", "verification_error"),
          Map.entry("server.verify", "verification_error"),
          Map.entry("tempo.fee_payer.cosign", "verification_error"),
          Map.entry("tempo.receipt.verify", "verification_error"),
          Map.entry("tempo.transaction.verify", "verification_error"),
          Map.entry("http.payment_request", "http_error"));

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Function<String, String> adapter;

  /**
   * @param adapter answers one request line with one response line, as {@code --jsonl} does
   */
  ConformanceRunner(Function<String, String> adapter) {
    this.adapter = adapter;
  }

  /** Runs every {@code *.json} vector file of {@code dir} in name order. */
  List<Outcome> runAll(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files =
          listing
              .filter(p -> p.getFileName().toString().endsWith(".json"))
              .filter(p -> !p.getFileName().toString().equals("package.json"))
              .sorted()
              .toList();
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (Path file : files) {
      outcomes.addAll(runFile(file));
    }
    return outcomes;
  }

  /** Runs the scenarios of one vector file. */
  List<Outcome> runFile(Path file) throws IOException {
    JsonNode vectors = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    String name = file.getFileName().toString();
    JsonNode commands = vectors.path("commands");
    List<Outcome> outcomes = new ArrayList<>();
    for (JsonNode scenario : vectors.path("scenarios")) {
      String scenarioName = scenario.path("name").asText();
      Scenario run = new Scenario();
      JsonNode only = scenario.get("adapters");
      if (only != null && only.isArray() && !contains(only, ADAPTER_NAME)) {
        outcomes.add(new Outcome(name, scenarioName, Status.SKIPPED, "only for adapters " + only));
        continue;
      }
      String skew = VERSION_SKEW.get(name + "/" + scenarioName);
      try {
        if (skew != null) {
          checkSkew(scenario, run);
        } else {
          runScenario(commands, scenario, run);
        }
      } catch (RuntimeException e) {
        run.fail("runner error: " + e);
      }
      Status status;
      String detail;
      if (!run.failures.isEmpty()) {
        status = Status.FAIL;
        detail = String.join("; ", run.failures);
      } else if (run.unsupported != null) {
        status = Status.UNSUPPORTED;
        detail = run.unsupported;
      } else if (run.checks == 0) {
        status = Status.SKIPPED;
        detail = "no check applies";
      } else if (skew != null) {
        status = Status.SKIPPED;
        detail = skew;
      } else {
        status = Status.PASS;
        detail = "";
      }
      outcomes.add(new Outcome(name, scenarioName, status, detail));
    }
    return outcomes;
  }

  /** The checks of one scenario. */
  private static final class Scenario {
    int checks;
    final List<String> failures = new ArrayList<>();
    String unsupported;

    void check(String what, boolean passed, String detail) {
      checks++;
      if (!passed) {
        failures.add(what + ": " + detail);
      }
    }

    void fail(String detail) {
      checks++;
      failures.add(detail);
    }
  }

  private void runScenario(JsonNode commands, JsonNode scenario, Scenario run) {
    String operation = commands.path("operation").asText(null);
    String parseCmd = commands.path("parse").asText(null);
    String formatCmd = commands.path("format").asText(null);
    String generateCmd = commands.path("generate").asText(null);
    if (operation != null) {
      JsonNode response = call(operation, scenario.get("input"), run);
      if (response != null) {
        compareResponse("operation", scenario.get("expected"), response, run);
      }
      return;
    }
    if (generateCmd != null) {
      Legacy result = legacy(generateCmd, scenario.get("input"), run);
      if (result != null) {
        compareLegacy("generate", true, null, scenario.get("expected"), result, run);
      }
      return;
    }
    boolean base64url = parseCmd != null && parseCmd.startsWith("base64url-");
    JsonNode object = base64url ? scenario.get("decoded") : scenario.get("object");
    JsonNode wire = base64url ? scenario.get("encoded") : wire(scenario.get("wire"));
    JsonNode tests = scenario.path("tests");

    JsonNode parseTest = tests.get("parse");
    if (parseTest != null && parseCmd != null && wire != null) {
      Legacy parsed = legacy(parseCmd, wire, run);
      if (parsed != null) {
        if (parseTest.isBoolean() && parseTest.booleanValue()) {
          compareLegacy("parse", true, parseCmd, object, parsed, run);
        } else if (parseTest.isObject()) {
          boolean success = parseTest.path("success").asBoolean();
          compareLegacy(
              "parse",
              success,
              parseCmd,
              success ? parseTest.get("result") : parseTest.get("error_type"),
              parsed,
              run);
        }
      }
    }
    boolean format = tests.path("format").asBoolean(false);
    if (format && formatCmd != null && object != null) {
      Legacy formatted = legacy(formatCmd, object, run);
      if (formatted != null) {
        if (!formatted.success) {
          run.fail("format: failed with " + formatted.errorType + ": " + formatted.message);
        } else if (parseCmd == null || formatCmd.equals("base64url-encode")) {
          run.check(
              "format",
              semanticEquals(wire, formatted.result),
              "expected " + wire + ", got " + formatted.result);
        } else {
          Legacy expected = legacy(parseCmd, wire, run);
          Legacy actual = legacy(parseCmd, formatted.result, run);
          if (expected != null && actual != null) {
            if (!expected.success || !actual.success) {
              run.fail(
                  "format: semantic parse failed: "
                      + (expected.success ? actual.message : expected.message));
            } else {
              compareParsed("format", parseCmd, expected.result, actual.result, run);
            }
          }
        }
      }
    }
    boolean roundtrip = tests.path("roundtrip").asBoolean(false);
    if (roundtrip && parseCmd != null && formatCmd != null && object != null) {
      Legacy formatted = legacy(formatCmd, object, run);
      if (formatted == null) {
        return;
      }
      if (!formatted.success) {
        run.fail("roundtrip: format failed: " + formatted.message);
        return;
      }
      Legacy parsed = legacy(parseCmd, formatted.result, run);
      if (parsed == null) {
        return;
      }
      if (!parsed.success) {
        run.fail("roundtrip: parse failed: " + parsed.message);
        return;
      }
      compareParsed("roundtrip", parseCmd, object, parsed.result, run);
    }
  }

  /**
   * A declared skew: the operation is run with {@link #SKEW_ACCOUNT} added to the input and must
   * answer the vector's value with only the skew applied (domain version "3", {@code account} first
   * in the type and set in the message).
   */
  private void checkSkew(JsonNode scenario, Scenario run) {
    ObjectNode input = ((ObjectNode) scenario.get("input")).deepCopy();
    input.put("account", SKEW_ACCOUNT);
    ObjectNode expected = (ObjectNode) scenario.get("expected").deepCopy();
    ObjectNode value = (ObjectNode) expected.get("value");
    ((ObjectNode) value.get("domain")).put("version", "3");
    ArrayNode proof = (ArrayNode) value.get("types").get("Proof");
    proof.insert(0, JSON.createObjectNode().put("name", "account").put("type", "address"));
    ObjectNode message = JSON.createObjectNode().put("account", SKEW_ACCOUNT);
    message.setAll((ObjectNode) value.get("message"));
    value.set("message", message);
    JsonNode response = call("tempo.proof.typed_data", input, run);
    if (response != null) {
      compareResponse("operation (skew applied)", expected, response, run);
    }
  }

  private static JsonNode wire(JsonNode wire) {
    if (wire == null || !wire.isObject()) {
      return wire;
    }
    String repeat = wire.path("repeat").asText("");
    return TextNode.valueOf(
        wire.path("prefix").asText("")
            + repeat.repeat(wire.path("count").asInt(0))
            + wire.path("suffix").asText(""));
  }

  // --- calls
  // --------------------------------------------------------------------------------------

  /**
   * Calls the adapter through its line protocol; returns null (and marks the scenario unsupported)
   * when the operation is unsupported. The response's shape and error type are checked as the
   * suite's harness checks them.
   */
  private JsonNode call(String op, JsonNode input, Scenario run) {
    ObjectNode request = JSON.createObjectNode();
    request.put("schema", 1);
    request.put("op", op);
    request.set("input", input);
    JsonNode response;
    try {
      response = JSON.readTree(adapter.apply(JSON.writeValueAsString(request)));
    } catch (IOException e) {
      run.fail(op + ": response is not JSON");
      return null;
    }
    if (response == null || !response.path("ok").isBoolean()) {
      run.fail(op + ": response has no boolean 'ok'");
      return null;
    }
    if (response.get("ok").booleanValue()) {
      if (!response.has("value")) {
        run.fail(op + ": ok response without 'value'");
        return null;
      }
      String invalid = ValueShapes.check(op, response.get("value"));
      if (invalid != null) {
        run.fail(op + ": value does not match the operation's schema: " + invalid);
        return null;
      }
      return response;
    }
    JsonNode error = response.path("error");
    String type = error.path("type").asText(null);
    if (type == null || !error.path("message").isTextual()) {
      run.fail(op + ": error response without type and message");
      return null;
    }
    if (type.equals("unsupported_operation")) {
      run.unsupported = error.get("message").textValue();
      return null;
    }
    if (!type.equals(ERROR_TYPES.get(op))) {
      ObjectNode converted = response.deepCopy();
      ((ObjectNode) converted.get("error"))
          .put("type", "unknown_error")
          .put("message", op + " returned undeclared error type " + type);
      return converted;
    }
    return response;
  }

  /** A legacy command's result: {@code success} with {@code result}, or an error type. */
  private record Legacy(boolean success, JsonNode result, String errorType, String message) {}

  private Legacy legacy(String command, JsonNode data, Scenario run) {
    String op = COMMAND_TO_OPERATION.get(command);
    if (op == null) {
      run.fail("unknown legacy command " + command);
      return null;
    }
    JsonNode input =
        switch (op) {
          case "challenge.parse", "credential.parse", "receipt.parse" ->
              JSON.createObjectNode().set("header", data);
          case "base64url.encode", "base64url.decode" -> JSON.createObjectNode().set("text", data);
          default -> data;
        };
    JsonNode response = call(op, input, run);
    if (response == null) {
      return null;
    }
    if (!response.get("ok").booleanValue()) {
      JsonNode error = response.get("error");
      return new Legacy(false, null, error.path("type").asText(), error.path("message").asText(""));
    }
    JsonNode value = response.get("value");
    JsonNode result =
        switch (op) {
          case "challenge.format", "credential.format", "receipt.format" -> value.get("header");
          case "base64url.encode", "base64url.decode" -> value.get("text");
          case "challenge.id" -> value.get("id");
          default -> value;
        };
    return new Legacy(true, result, null, null);
  }

  // --- comparisons
  // ----------------------------------------------------------------------------------

  private static void compareResponse(
      String what, JsonNode expected, JsonNode actual, Scenario run) {
    boolean expectedOk = expected.path("ok").asBoolean();
    boolean actualOk = actual.get("ok").booleanValue();
    if (expectedOk != actualOk) {
      run.fail(what + ": expected ok=" + expectedOk + ", got " + actual);
      return;
    }
    if (!expectedOk) {
      String expectedType = expected.path("error").path("type").asText(null);
      String actualType = actual.path("error").path("type").asText(null);
      run.check(
          what,
          expectedType == null || expectedType.equals(actualType),
          "expected error " + expectedType + ", got " + actualType);
      return;
    }
    run.check(
        what,
        semanticEquals(expected.get("value"), actual.get("value")),
        "expected " + expected.get("value") + ", got " + actual.get("value"));
  }

  /**
   * Compares a legacy result: success and error type first, then the parsed value (semantically for
   * a parse) or the result as is.
   */
  private static void compareLegacy(
      String what,
      boolean expectedSuccess,
      String parseCmd,
      JsonNode expected,
      Legacy actual,
      Scenario run) {
    if (expectedSuccess != actual.success) {
      run.fail(
          what
              + ": expected "
              + (expectedSuccess ? "success" : "error " + expected)
              + ", got "
              + (actual.success
                  ? "success " + actual.result
                  : actual.errorType + ": " + actual.message));
      return;
    }
    if (!expectedSuccess) {
      run.check(
          what,
          expected.asText().equals(actual.errorType),
          "expected error " + expected.asText() + ", got " + actual.errorType);
      return;
    }
    if (parseCmd != null) {
      compareParsed(what, parseCmd, expected, actual.result, run);
    } else {
      run.check(
          what,
          semanticEquals(expected, actual.result),
          "expected " + expected + ", got " + actual.result);
    }
  }

  private static void compareParsed(
      String what, String parseCmd, JsonNode expected, JsonNode actual, Scenario run) {
    JsonNode e = expected;
    JsonNode a = actual;
    if (parseCmd.equals("parse-authorization")) {
      e = normalizeCredential(e);
      a = normalizeCredential(a);
    }
    run.check(what, semanticEquals(e, a), "expected " + e + ", got " + a);
  }

  /** A credential whose challenge {@code request} is still a base64url string gets it decoded. */
  static JsonNode normalizeCredential(JsonNode credential) {
    if (credential == null || !credential.isObject()) {
      return credential;
    }
    JsonNode challenge = credential.get("challenge");
    if (challenge == null || !challenge.isObject() || !challenge.path("request").isTextual()) {
      return credential;
    }
    ObjectNode copy = credential.deepCopy();
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(challenge.get("request").textValue());
      ((ObjectNode) copy.get("challenge")).set("request", JSON.readTree(bytes));
    } catch (IllegalArgumentException | IOException e) {
      // Left as is, as the suite's normalizer does.
    }
    return copy;
  }

  /**
   * JSON equality as the suite's Python runner sees it: object member order never matters, array
   * order does, and numbers compare by value (1 equals 1.0).
   */
  static boolean semanticEquals(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.getNodeType() != b.getNodeType()) {
      return false;
    }
    if (a.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> member = it.next();
        if (!semanticEquals(member.getValue(), b.get(member.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!semanticEquals(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode item : array) {
      if (value.equals(item.asText())) {
        return true;
      }
    }
    return false;
  }

  // --- reporting
  // ------------------------------------------------------------------------------------

  /** The table: file · scenarios · pass · fail · unsupported · skipped, and a total row. */
  static String table(List<Outcome> outcomes) {
    Map<String, int[]> rows = new LinkedHashMap<>();
    for (Outcome o : outcomes) {
      int[] row = rows.computeIfAbsent(o.file(), f -> new int[5]);
      row[0]++;
      row[1 + o.status().ordinal()]++;
    }
    int[] total = new int[5];
    rows.values().forEach(r -> addInto(total, r));
    StringBuilder out = new StringBuilder();
    String format = "| %-37s | %9s | %4s | %4s | %11s | %7s |%n";
    out.append(
        String.format(format, "file", "scenarios", "pass", "fail", "unsupported", "skipped"));
    out.append(String.format(format, "---", "---:", "---:", "---:", "---:", "---:"));
    rows.forEach((file, r) -> out.append(row(format, "`" + file + "`", r)));
    out.append(row(format, "**total**", total));
    return out.toString();
  }

  private static String row(String format, String name, int[] r) {
    return String.format(format, name, r[0], r[1], r[2], r[3], r[4]);
  }

  private static void addInto(int[] total, int[] row) {
    for (int i = 0; i < total.length; i++) {
      total[i] += row[i];
    }
  }

  /**
   * Every scenario that did not pass with its reason; unsupported ones grouped by file and reason.
   */
  static String details(List<Outcome> outcomes) {
    Map<String, Integer> unsupported = new LinkedHashMap<>();
    StringBuilder out = new StringBuilder();
    for (Outcome o : outcomes) {
      switch (o.status()) {
        case PASS -> {}
        case UNSUPPORTED -> unsupported.merge(o.file() + ": " + o.detail(), 1, Integer::sum);
        default ->
            out.append(o.status())
                .append("  ")
                .append(o.file())
                .append("/")
                .append(o.scenario())
                .append(": ")
                .append(o.detail())
                .append('\n');
      }
    }
    unsupported.forEach(
        (reason, count) ->
            out.append("UNSUPPORTED  ")
                .append(count)
                .append(count == 1 ? " scenario of " : " scenarios of ")
                .append(reason)
                .append('\n'));
    return out.toString();
  }

  /**
   * Minimal checks of success values against the suite's protocol schema: required members, allowed
   * members and member types of the canonical values.
   */
  static final class ValueShapes {
    private static final Set<String> CHALLENGE =
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

    private ValueShapes() {}

    /** Returns what is wrong with {@code value}, or null. */
    static String check(String op, JsonNode value) {
      return switch (op) {
        case "challenge.parse" -> challenge(value);
        case "credential.parse" -> credential(value);
        case "receipt.parse" -> receipt(value);
        case "challenge.format", "credential.format", "receipt.format" ->
            only(value, Set.of("header"), Set.of("header"));
        case "base64url.encode", "base64url.decode" -> only(value, Set.of("text"), Set.of("text"));
        case "challenge.id" -> only(value, Set.of("id"), Set.of("id"));
        default -> value != null && value.isObject() ? null : "not an object";
      };
    }

    private static String challenge(JsonNode value) {
      String wrong = only(value, Set.of("id", "realm", "method", "intent", "request"), CHALLENGE);
      if (wrong != null) {
        return wrong;
      }
      for (String name : CHALLENGE) {
        JsonNode member = value.get(name);
        boolean ok =
            member == null || (name.equals("request") ? member.isObject() : member.isTextual());
        if (!ok) {
          return "challenge '" + name + "' has the wrong type";
        }
      }
      return value.get("id").textValue().isEmpty() ? "challenge 'id' is empty" : null;
    }

    private static String credential(JsonNode value) {
      String wrong =
          only(value, Set.of("challenge", "payload"), Set.of("challenge", "payload", "source"));
      if (wrong != null) {
        return wrong;
      }
      if (!value.get("payload").isObject()) {
        return "credential 'payload' is not an object";
      }
      JsonNode source = value.get("source");
      if (source != null && !(source.isObject() || source.isTextual() || source.isNull())) {
        return "credential 'source' has the wrong type";
      }
      return challenge(value.get("challenge"));
    }

    private static String receipt(JsonNode value) {
      String wrong =
          only(
              value,
              Set.of("status", "timestamp", "reference"),
              Set.of("status", "method", "timestamp", "reference", "externalId", "extra"));
      if (wrong != null) {
        return wrong;
      }
      for (String name : List.of("status", "method", "timestamp", "reference", "externalId")) {
        JsonNode member = value.get(name);
        if (member != null && !member.isTextual()) {
          return "receipt '" + name + "' is not a string";
        }
      }
      JsonNode extra = value.get("extra");
      return extra == null || extra.isObject() ? null : "receipt 'extra' is not an object";
    }

    private static String only(JsonNode value, Set<String> required, Set<String> allowed) {
      if (value == null || !value.isObject()) {
        return "not an object";
      }
      for (String name : required) {
        if (!value.has(name)) {
          return "missing '" + name + "'";
        }
      }
      for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!allowed.contains(name)) {
          return "unexpected member '" + name + "'";
        }
      }
      if (required.size() == 1 && !value.get(required.iterator().next()).isTextual()) {
        return "'" + required.iterator().next() + "' is not a string";
      }
      return null;
    }
  }
}
