package dev.mpp.client.wire;

import static dev.mpp.client.wire.ChallengeTest.b64;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReceiptTest {
  static final String ISSUE_RECEIPT =
      "eyJtZXRob2QiOiJ0ZW1wbyIsInJlZmVyZW5jZSI6IjB4MTIzNCIsInN0YXR1cyI6InN1Y2Nlc3MiLCJ0aW1lc3Rh"
          + "bXAiOiIyMDI1LTAxLTIxVDEyOjAwOjAwLjAwMFoifQ";

  static ProtocolException parseError(String value) {
    try {
      Receipt.parse(value);
    } catch (ProtocolException e) {
      return e;
    }
    throw new AssertionError("parsed: " + value);
  }

  @Test
  void issueVector() {
    Receipt receipt = Receipt.parse(ISSUE_RECEIPT);

    assertThat(receipt.method()).isEqualTo("tempo");
    assertThat(receipt.reference()).isEqualTo("0x1234");
    assertThat(receipt.status()).isEqualTo("success");
    assertThat(receipt.timestamp()).contains(Instant.parse("2025-01-21T12:00:00Z"));
    assertThat(receipt.raw()).isEqualTo(ISSUE_RECEIPT);
    assertThat(receipt).isEqualTo(Receipt.parse(ISSUE_RECEIPT)).hasSameHashCodeAs(receipt);
    assertThat(receipt.toString()).contains("tempo").contains("0x1234");
  }

  @Test
  void keepsExtrasAsAJsonTree() throws Exception {
    String json =
        "{\"status\":\"success\",\"method\":\"stripe\",\"reference\":\"pi_1\","
            + "\"challengeId\":\"c1\",\"externalId\":\"order-9\",\"fees\":{\"usd\":\"0.01\"}}";

    Receipt receipt = Receipt.parse(b64(json));

    assertThat(receipt.text("challengeId")).contains("c1");
    assertThat(receipt.text("externalId")).contains("order-9");
    assertThat(receipt.json()).isEqualTo(new ObjectMapper().readTree(json));
    assertThat(receipt.timestamp()).isEmpty();
  }

  @Test
  void toleratesSurroundingWhitespace() {
    assertThat(Receipt.parse("  " + ISSUE_RECEIPT + " ").reference()).isEqualTo("0x1234");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"status\":\"failed\",\"method\":\"tempo\",\"reference\":\"0x1\"}",
        "{\"status\":\"SUCCESS\",\"method\":\"tempo\",\"reference\":\"0x1\"}",
        "{\"method\":\"tempo\",\"reference\":\"0x1\"}",
        "{\"status\":true,\"method\":\"tempo\",\"reference\":\"0x1\"}",
        "{\"status\":\"success\",\"method\":\"tempo\"}",
        "{\"status\":\"success\",\"method\":\"tempo\",\"reference\":\"\"}",
        "{\"status\":\"success\",\"method\":\"tempo\",\"reference\":12}",
        "{\"status\":\"success\",\"reference\":\"0x1\"}",
        "{\"status\":\"success\",\"method\":\"tempo\",\"reference\":\"0x1\",\"timestamp\":\"now\"}",
        "[]",
        "\"success\""
      })
  void notASuccessWithAReferenceIsInvalid(String json) {
    assertThat(parseError(b64(json)).code()).isEqualTo(ErrorCode.MALFORMED_RECEIPT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "!!", "e30", "Payment e30"})
  void undecodableValuesAreInvalid(String value) {
    assertThat(parseError(value).code()).isEqualTo(ErrorCode.MALFORMED_RECEIPT);
  }

  @Test
  void oversizedReceiptsAreInvalid() {
    assertThat(parseError("A".repeat(100_000)).code()).isEqualTo(ErrorCode.MALFORMED_RECEIPT);
  }
}
