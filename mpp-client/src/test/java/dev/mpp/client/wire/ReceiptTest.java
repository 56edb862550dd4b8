package dev.mpp.client.wire;

import static dev.mpp.client.wire.ChallengeTest.b64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
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
            + "\"timestamp\":\"2026-01-29T12:00:30+01:00\","
            + "\"challengeId\":\"c1\",\"externalId\":\"order-9\",\"fees\":{\"usd\":\"0.01\"}}";

    Receipt receipt = Receipt.parse(b64(json));

    assertThat(receipt.text("challengeId")).contains("c1");
    assertThat(receipt.externalId()).contains("order-9");
    assertThat(receipt.json()).isEqualTo(new ObjectMapper().readTree(json));
    assertThat(receipt.extras())
        .containsExactly(
            entry("challengeId", TextNode.valueOf("c1")),
            entry("fees", new ObjectMapper().readTree("{\"usd\":\"0.01\"}")));
    assertThat(receipt.timestamp()).contains(Instant.parse("2026-01-29T11:00:30Z"));
  }

  /** The conformance suite's {@code receipt} / {@code error_missing_timestamp}. */
  @Test
  void aReceiptWithoutTimestampIsMalformed() {
    ProtocolException error =
        parseError(
            "eyJtZXRob2QiOiJ0ZW1wbyIsInJlZmVyZW5jZSI6IjB4YWJjZGVmMTIzNDU2Nzg5MGFiY2RlZjEyMzQ1Njc4"
                + "OTBhYmNkZWYxMjM0NTY3ODkwYWJjZGVmMTIzNDU2Nzg5MGFiIiwic3RhdHVzIjoic3VjY2VzcyJ9");

    assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_RECEIPT);
    assertThat(error.getMessage()).isEqualTo("receipt has no timestamp");
  }

  @Test
  void builtReceiptsHaveTheExactWireForm() {
    Receipt receipt =
        Receipt.builder()
            .method("tempo")
            .timestamp(Instant.parse("2026-01-29T12:00:30Z"))
            .reference("0xabc")
            .externalId("order-1")
            .field("challengeId", TextNode.valueOf("ch_1"))
            .build();

    // {"status":"success","method":"tempo","timestamp":"2026-01-29T12:00:30Z",
    //  "reference":"0xabc","externalId":"order-1","challengeId":"ch_1"}
    assertThat(receipt.toHeaderValue())
        .isEqualTo(
            "eyJzdGF0dXMiOiJzdWNjZXNzIiwibWV0aG9kIjoidGVtcG8iLCJ0aW1lc3RhbXAiOiIyMDI2LTAxLTI5VDEy"
                + "OjAwOjMwWiIsInJlZmVyZW5jZSI6IjB4YWJjIiwiZXh0ZXJuYWxJZCI6Im9yZGVyLTEiLCJjaGFsbGVu"
                + "Z2VJZCI6ImNoXzEifQ");
    assertThat(Receipt.parse(receipt.toHeaderValue())).isEqualTo(receipt);
    assertThat(receipt.raw()).isEqualTo(receipt.toHeaderValue());
  }

  @Test
  void aParsedReceiptIsNeverReEncoded() {
    assertThat(Receipt.parse(" " + ISSUE_RECEIPT).toHeaderValue()).isEqualTo(ISSUE_RECEIPT);
  }

  @Test
  void theBuilderAppliesTheParsersChecks() {
    assertThat(buildError(Receipt.builder().timestamp("2026-01-29T12:00:30Z").reference("r")))
        .isEqualTo("receipt has no method");
    assertThat(buildError(Receipt.builder().method("tempo").timestamp("2026-01-29T12:00:30Z")))
        .isEqualTo("receipt has no reference");
    assertThat(buildError(Receipt.builder().method("tempo").reference("r")))
        .isEqualTo("receipt has no timestamp");
    assertThat(buildError(Receipt.builder().method("tempo").reference("r").timestamp("Jan 29")))
        .isEqualTo("receipt timestamp is not RFC 3339");
    assertThatThrownBy(() -> Receipt.builder().field("status", TextNode.valueOf("failed")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String buildError(Receipt.Builder builder) {
    try {
      builder.build();
    } catch (ProtocolException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_RECEIPT);
      return e.getMessage();
    }
    throw new AssertionError("built");
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
        "{\"status\":\"success\",\"method\":\"tempo\",\"reference\":\"0x1\"}",
        "{\"status\":\"success\",\"method\":\"tempo\",\"reference\":\"0x1\",\"timestamp\":1}",
        "{\"status\":\"success\",\"method\":\"tempo\",\"reference\":\"0x1\","
            + "\"timestamp\":\"2026-01-29T12:00:30Z\",\"externalId\":7}",
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
