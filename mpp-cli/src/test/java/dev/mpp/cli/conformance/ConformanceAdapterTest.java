package dev.mpp.cli.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exact answers of the adapter, independent of the suite's vector files. */
class ConformanceAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode call(String op, String input) throws Exception {
    return JSON.readTree(
        ConformanceAdapter.handle("{\"schema\":1,\"op\":\"" + op + "\",\"input\":" + input + "}"));
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[]",
        "{\"op\":\"challenge.parse\",\"input\":{}}",
        "{\"schema\":2,\"op\":\"challenge.parse\",\"input\":{}}",
        "{\"schema\":1,\"op\":\"challenge.parse\"}"
      })
  void anythingButAnAbiRequestIsAnUnknownError(String request) throws Exception {
    JsonNode response = JSON.readTree(ConformanceAdapter.handle(request));

    assertThat(response.get("ok").booleanValue()).isFalse();
    assertThat(response.get("error").get("type").asText()).isEqualTo("unknown_error");
  }

  @Test
  void serverSideOperationsAreUnsupportedWithTheirReason() throws Exception {
    for (var entry : ConformanceAdapter.UNSUPPORTED.entrySet()) {
      JsonNode response = call(entry.getKey(), "{}");

      assertThat(response)
          .isEqualTo(
              JSON.createObjectNode()
                  .put("ok", false)
                  .set(
                      "error",
                      JSON.createObjectNode()
                          .put("type", "unsupported_operation")
                          .put("message", entry.getKey() + ": " + entry.getValue())));
    }
    assertThat(call("no.such.op", "{}").get("error").get("type").asText())
        .isEqualTo("unsupported_operation");
  }

  @Test
  void proofTypedDataNeedsTheAccountTheV3ProofBinds() throws Exception {
    JsonNode without =
        call("tempo.proof.typed_data", "{\"chainId\":4217,\"challengeId\":\"c\",\"realm\":\"r\"}");
    JsonNode with =
        call(
            "tempo.proof.typed_data",
            "{\"chainId\":4217,\"challengeId\":\"c\",\"realm\":\"r\","
                + "\"account\":\"0x1a642f0e3c3af545e7acbd38b07251b3990914f1\"}");

    assertThat(without.get("error").get("type").asText()).isEqualTo("generation_error");
    assertThat(with)
        .isEqualTo(
            json(
                """
                {"ok":true,"value":{"domain":{"name":"MPP","version":"3","chainId":4217},
                 "types":{"Proof":[{"name":"account","type":"address"},
                                   {"name":"challengeId","type":"string"},
                                   {"name":"realm","type":"string"}]},
                 "primaryType":"Proof",
                 "message":{"account":"0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1",
                            "challengeId":"c","realm":"r"}}}
                """));
  }

  @Test
  void receiptsRoundTripWithExtrasAndUtcTimestamps() throws Exception {
    JsonNode formatted =
        call(
            "receipt.format",
            "{\"status\":\"success\",\"method\":\"tempo\",\"timestamp\":\"2026-01-29T13:00:30+01:00\","
                + "\"reference\":\"0x1\",\"externalId\":\"o-1\",\"extra\":{\"challengeId\":\"c\"}}");
    String header = formatted.get("value").get("header").asText();

    assertThat(call("receipt.parse", "{\"header\":\"" + header + "\"}"))
        .isEqualTo(
            json(
                """
                {"ok":true,"value":{"status":"success","method":"tempo",
                 "timestamp":"2026-01-29T12:00:30Z","reference":"0x1","externalId":"o-1",
                 "extra":{"challengeId":"c"}}}
                """));
  }

  @Test
  void formatRefusesMembersTheLibraryWouldDropOrCannotCarry() throws Exception {
    assertThat(
            call(
                    "challenge.format",
                    "{\"id\":\"a\",\"realm\":\"r\",\"method\":\"tempo\",\"intent\":\"charge\","
                        + "\"request\":{},\"header\":\"Payment-Authorization\"}")
                .get("error")
                .get("type")
                .asText())
        .isEqualTo("format_error");
    assertThat(
            call(
                    "receipt.format",
                    "{\"status\":\"failed\",\"timestamp\":\"2026-01-29T12:00:30Z\","
                        + "\"method\":\"tempo\",\"reference\":\"r\"}")
                .get("error")
                .get("type")
                .asText())
        .isEqualTo("format_error");
  }

  @Test
  void serveAnswersEachNonBlankLineOnItsOwnLineInAscii() throws Exception {
    StringWriter out = new StringWriter();

    ConformanceAdapter.serve(
        new StringReader(
            "{\"schema\":1,\"op\":\"base64url.decode\",\"input\":{\"text\":\"w7_Dvg\"}}\n\n"
                + "{\"schema\":1,\"op\":\"base64url.decode\",\"input\":{\"text\":\"_w\"}}\n"),
        out,
        true);

    assertThat(out.toString().split("\n"))
        .containsExactly(
            "{\"ok\":true,\"value\":{\"text\":\"\\u00FF\\u00FE\"}}",
            "{\"ok\":false,\"error\":{\"type\":\"encoding_error\","
                + "\"message\":\"decoded bytes are not UTF-8\"}}");
  }
}
