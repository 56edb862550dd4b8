package dev.mpp.cli.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.cli.conformance.ConformanceRunner.Outcome;
import dev.mpp.cli.conformance.ConformanceRunner.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's comparison rules, against scripted adapters: it must catch wrong answers. */
class ConformanceRunnerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String CHALLENGES =
      """
      {"commands":{"parse":"parse-www-authenticate","format":"format-www-authenticate"},
       "scenarios":[
        {"name":"ok","object":{"id":"a","realm":"r","method":"tempo","intent":"charge",
                               "request":{"n":1}},
         "wire":"W","tests":{"parse":true,"format":true}},
        {"name":"bad","wire":"B","tests":{"parse":{"success":false,"error_type":"parse_error"}}},
        {"name":"rust only","adapters":["rust"],"wire":"W","tests":{"parse":true}}]}
      """;

  @TempDir Path dir;

  /** An adapter answering each operation with {@code answers.get(op)} applied to its input. */
  private static Function<String, String> scripted(
      Map<String, Function<JsonNode, String>> answers) {
    return line -> {
      try {
        JsonNode request = JSON.readTree(line);
        Function<JsonNode, String> answer = answers.get(request.get("op").asText());
        return answer == null
            ? "{\"ok\":false,\"error\":{\"type\":\"unsupported_operation\",\"message\":\"x: no\"}}"
            : answer.apply(request.get("input"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private static String parsed(String id, String n) {
    return "{\"ok\":true,\"value\":{\"request\":{\"n\":"
        + n
        + "},\"intent\":\"charge\",\"method\":\"tempo\",\"realm\":\"r\",\"id\":\""
        + id
        + "\"}}";
  }

  private static String parseError() {
    return "{\"ok\":false,\"error\":{\"type\":\"parse_error\",\"message\":\"m\"}}";
  }

  /** Parses W and X to the vector's object (member order and 1.0 vs 1 aside), B to an error. */
  private static String goodParse(JsonNode input) {
    return switch (input.get("header").asText()) {
      case "W", "X" -> parsed("a", "1.0");
      default -> parseError();
    };
  }

  private Map<String, Status> run(Map<String, Function<JsonNode, String>> answers)
      throws IOException {
    Path file = dir.resolve("challenges.json");
    Files.writeString(file, CHALLENGES);
    List<Outcome> outcomes = new ConformanceRunner(scripted(answers)).runFile(file);
    return Map.of(
        "ok", outcomes.get(0).status(),
        "bad", outcomes.get(1).status(),
        "rust only", outcomes.get(2).status());
  }

  @Test
  void rightAnswersPassAndFormattedHeadersCompareByWhatTheyParseTo() throws IOException {
    Map<String, Status> statuses =
        run(
            Map.of(
                "challenge.parse",
                ConformanceRunnerTest::goodParse,
                "challenge.format",
                input -> "{\"ok\":true,\"value\":{\"header\":\"X\"}}"));

    assertThat(statuses)
        .containsEntry("ok", Status.PASS)
        .containsEntry("bad", Status.PASS)
        .containsEntry("rust only", Status.SKIPPED);
  }

  @Test
  void aWrongParsedValueFails() throws IOException {
    Map<String, Status> statuses =
        run(
            Map.of(
                "challenge.parse",
                input -> input.get("header").asText().equals("B") ? parseError() : parsed("z", "1"),
                "challenge.format",
                input -> "{\"ok\":true,\"value\":{\"header\":\"W\"}}"));

    assertThat(statuses).containsEntry("ok", Status.FAIL).containsEntry("bad", Status.PASS);
  }

  @Test
  void aFormattedHeaderThatParsesToSomethingElseFails() throws IOException {
    Map<String, Status> statuses =
        run(
            Map.of(
                "challenge.parse",
                input ->
                    switch (input.get("header").asText()) {
                      case "W" -> parsed("a", "1");
                      case "X" -> parsed("a", "2");
                      default -> parseError();
                    },
                "challenge.format",
                input -> "{\"ok\":true,\"value\":{\"header\":\"X\"}}"));

    assertThat(statuses).containsEntry("ok", Status.FAIL);
  }

  @Test
  void acceptingWhatMustBeRefusedOrRefusingWithAnUndeclaredTypeFails() throws IOException {
    assertThat(
            run(
                Map.of(
                    "challenge.parse", input -> parsed("a", "1"),
                    "challenge.format", input -> "{\"ok\":true,\"value\":{\"header\":\"W\"}}")))
        .containsEntry("bad", Status.FAIL);
    assertThat(
            run(
                Map.of(
                    "challenge.parse",
                    input ->
                        input.get("header").asText().equals("B")
                            ? "{\"ok\":false,\"error\":{\"type\":\"format_error\",\"message\":\"m\"}}"
                            : parsed("a", "1"),
                    "challenge.format",
                    input -> "{\"ok\":true,\"value\":{\"header\":\"W\"}}")))
        .containsEntry("bad", Status.FAIL);
  }

  @Test
  void aValueOutsideTheProtocolSchemaFails() throws IOException {
    Map<String, Status> statuses =
        run(
            Map.of(
                "challenge.parse",
                input ->
                    input.get("header").asText().equals("B")
                        ? parseError()
                        : parsed("a", "1").replace("\"id\"", "\"extra\":1,\"id\""),
                "challenge.format",
                input -> "{\"ok\":true,\"value\":{\"header\":\"W\"}}"));

    assertThat(statuses).containsEntry("ok", Status.FAIL);
  }

  @Test
  void unsupportedOperationsAreCountedApartFromFailures() throws IOException {
    Map<String, Status> statuses = run(Map.of("challenge.parse", ConformanceRunnerTest::goodParse));

    assertThat(statuses).containsEntry("ok", Status.UNSUPPORTED).containsEntry("bad", Status.PASS);
  }

  @Test
  void aDeclaredSkewPassesOnlyWhenTheAnswerDiffersByExactlyThatSkew() throws IOException {
    Path file = dir.resolve("tempo-proof.json");
    Files.writeString(
        file,
        """
        {"commands":{"operation":"tempo.proof.typed_data"},"scenarios":[
         {"name":"zero_amount_proof_shape","input":{"chainId":1,"challengeId":"c","realm":"r"},
          "expected":{"ok":true,"value":{"domain":{"name":"MPP","version":"2","chainId":1},
           "types":{"Proof":[{"name":"challengeId","type":"string"},
                             {"name":"realm","type":"string"}]},
           "primaryType":"Proof","message":{"challengeId":"c","realm":"r"}}}}]}
        """);

    List<Outcome> real = new ConformanceRunner(ConformanceAdapter::handle).runFile(file);
    List<Outcome> unskewed =
        new ConformanceRunner(
                scripted(
                    Map.of(
                        "tempo.proof.typed_data",
                        input ->
                            "{\"ok\":true,\"value\":"
                                + "{\"domain\":{\"name\":\"MPP\",\"version\":\"2\",\"chainId\":1},"
                                + "\"types\":{\"Proof\":[{\"name\":\"challengeId\",\"type\":\"string\"},"
                                + "{\"name\":\"realm\",\"type\":\"string\"}]},\"primaryType\":\"Proof\","
                                + "\"message\":{\"challengeId\":\"c\",\"realm\":\"r\"}}}")))
            .runFile(file);

    assertThat(real.get(0).status()).isEqualTo(Status.SKIPPED);
    assertThat(real.get(0).detail()).startsWith("version skew");
    assertThat(unskewed.get(0).status()).isEqualTo(Status.FAIL);
  }
}
