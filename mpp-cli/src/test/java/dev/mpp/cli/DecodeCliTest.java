package dev.mpp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecodeCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REQUEST =
      "eyJhbW91bnQiOiIxMDAwMDAwMDAwIiwiY3VycmVuY3kiOiIweDIwYzAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDEiLCJyZWNpcGllbnQiOiIweDc0MmQzNUNjNjYzNEMwNTMyOTI1YTNiODQ0QmM5ZTc1OTVmOGZFMDAifQ";

  @Test
  void decodesMultiChallengeInputAndReportsInvalidOnes() throws Exception {
    String input =
        "WWW-Authenticate: Payment id=\"a\", realm=\"api\", method=\"tempo\", intent=\"charge\","
            + " request=\""
            + REQUEST
            + "\", expires=\"2025-01-01T00:00:00.000Z\", Bearer realm=\"x\"\n"
            + "Payment id=\"b\", realm=\"api\", method=\"tempo\", intent=\"charge\","
            + " request=\"e30\", id=\"c\"\n"
            + "payment ID=\"d\", REALM=\"api\", method=\"stripe\", intent=\"charge\","
            + " request=\"e30\"\n";
    CliProcess.Result result = CliProcess.run(input, Map.of(), "decode");

    assertThat(result.exit()).isZero();
    JsonNode array = JSON.readTree(result.stdout());
    assertThat(array).hasSize(3);
    assertThat(array.get(0).get("id").asText()).isEqualTo("a");
    assertThat(array.get(0).get("expires").asText()).isEqualTo("2025-01-01T00:00:00.000Z");
    assertThat(array.get(0).get("request").get("amount").asText()).isEqualTo("1000000000");
    assertThat(array.get(0).get("requestRaw").asText()).isEqualTo(REQUEST);
    assertThat(array.get(0).has("digest")).isFalse();
    assertThat(array.get(1).get("error").get("code").asText()).isEqualTo("MALFORMED_CHALLENGE");
    assertThat(array.get(2).get("id").asText()).isEqualTo("d");
    assertThat(array.get(2).get("method").asText()).isEqualTo("stripe");
  }

  @Test
  void exitsThreeWhenNoChallengeIsValid() throws Exception {
    CliProcess.Result result =
        CliProcess.run("Payment id=\"\", realm=\"a\"\nBearer realm=\"x\"\n", Map.of(), "decode");

    assertThat(result.exit()).isEqualTo(3);
    assertThat(JSON.readTree(result.stdout()).get(0).get("error").get("code").asText())
        .isEqualTo("MALFORMED_CHALLENGE");
  }

  @Test
  void redactsCredentialSecrets() throws Exception {
    String payload =
        "{\"challenge\":{\"id\":\"abc\",\"realm\":\"api\",\"method\":\"tempo\","
            + "\"intent\":\"charge\",\"request\":\"e30\"},"
            + "\"payload\":{\"type\":\"transaction\",\"signature\":\"0x76deadbeef\"},"
            + "\"source\":\"did:pkh:eip155:1:0xabc\"}";
    String header =
        "Authorization: Payment "
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    CliProcess.Result result = CliProcess.run(header + "\n", Map.of(), "decode", "--credential");

    assertThat(result.exit()).isZero();
    assertThat(result.stdout()).doesNotContain("0x76deadbeef");
    JsonNode credential = JSON.readTree(result.stdout()).get(0);
    assertThat(credential.get("payload").get("signature").asText()).isEqualTo("[redacted]");
    assertThat(credential.get("payload").get("type").asText()).isEqualTo("transaction");
    assertThat(credential.get("challenge").get("id").asText()).isEqualTo("abc");
  }

  @Test
  void decodesReceipts() throws Exception {
    CliProcess.Result result =
        CliProcess.run(
            "Payment-Receipt: eyJtZXRob2QiOiJ0ZW1wbyIsInJlZmVyZW5jZSI6IjB4MTIzNCIsInN0YXR1cyI6InN1Y2Nlc3MiLCJ0aW1lc3RhbXAiOiIyMDI1LTAxLTIxVDEyOjAwOjAwLjAwMFoifQ\n",
            Map.of(),
            "decode",
            "--receipt");

    assertThat(result.exit()).isZero();
    assertThat(JSON.readTree(result.stdout()).get(0).get("reference").asText()).isEqualTo("0x1234");
  }

  @Test
  void badFlagExitsTwoWithOneLine() throws Exception {
    CliProcess.Result result = CliProcess.run("", Map.of(), "decode", "--bogus");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.stderr().strip().lines()).hasSize(1);
    assertThat(result.stderr()).contains("--bogus").doesNotContain("Exception");
  }
}
