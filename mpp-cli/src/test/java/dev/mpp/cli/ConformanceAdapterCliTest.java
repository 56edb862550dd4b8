package dev.mpp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code mpp conformance-adapter} run from the packaged jar, through stdin and stdout. */
class ConformanceAdapterCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String CHALLENGE =
      "Payment id=\\\"a\\\", realm=\\\"r\\\", method=\\\"tempo\\\", intent=\\\"charge\\\","
          + " request=\\\"eyJhbW91bnQiOiIxMDAifQ\\\"";

  private static String request(String op, String input) {
    return "{\"schema\":1,\"op\":\"" + op + "\",\"input\":" + input + "}";
  }

  @Test
  void jsonlAnswersOneLinePerRequestLineInOneProcess() throws Exception {
    String stdin =
        String.join(
                "\n",
                request("base64url.encode", "{\"text\":\"hello world\"}"),
                "",
                request("challenge.parse", "{\"header\":\"" + CHALLENGE + "\"}"),
                request("receipt.parse", "{\"header\":\"bm90IGpzb24\"}"),
                request(
                    "challenge.id",
                    "{\"secretKey\":\"k\",\"realm\":\"r\",\"method\":\"tempo\","
                        + "\"intent\":\"charge\",\"request\":{}}"),
                "not json")
            + "\n";

    CliProcess.Result result = CliProcess.run(stdin, Map.of(), "conformance-adapter", "--jsonl");

    assertThat(result.exit()).isZero();
    List<String> lines = result.stdout().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(JSON.readTree(lines.get(0)))
        .isEqualTo(JSON.readTree("{\"ok\":true,\"value\":{\"text\":\"aGVsbG8gd29ybGQ\"}}"));
    assertThat(JSON.readTree(lines.get(1)))
        .isEqualTo(
            JSON.readTree(
                "{\"ok\":true,\"value\":{\"id\":\"a\",\"realm\":\"r\",\"method\":\"tempo\","
                    + "\"intent\":\"charge\",\"request\":{\"amount\":\"100\"}}}"));
    assertThat(errorType(lines.get(2))).isEqualTo("parse_error");
    assertThat(errorType(lines.get(3))).isEqualTo("unsupported_operation");
    assertThat(JSON.readTree(lines.get(3)).get("error").get("message").asText())
        .startsWith("challenge.id: server-side: ");
    assertThat(errorType(lines.get(4))).isEqualTo("unknown_error");
  }

  @Test
  void withoutJsonlTheWholeInputIsOneRequest() throws Exception {
    String stdin =
        "{\n  \"schema\": 1,\n  \"op\": \"base64url.decode\",\n  \"input\": {\"text\": \"e30\"}\n}\n";

    CliProcess.Result result = CliProcess.run(stdin, Map.of(), "conformance-adapter");

    assertThat(result.exit()).isZero();
    assertThat(result.stdout()).isEqualTo("{\"ok\":true,\"value\":{\"text\":\"{}\"}}\n");
  }

  private static String errorType(String line) throws Exception {
    JsonNode response = JSON.readTree(line);
    assertThat(response.get("ok").booleanValue()).isFalse();
    return response.get("error").get("type").asText();
  }
}
