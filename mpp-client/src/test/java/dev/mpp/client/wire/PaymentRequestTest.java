package dev.mpp.client.wire;

import static dev.mpp.client.wire.ChallengeTest.b64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PaymentRequestTest {
  private static final ObjectMapper JSON = Json.MAPPER;

  static ErrorCode codeOf(String raw) {
    try {
      PaymentRequest.decode(raw);
      return null;
    } catch (ProtocolException e) {
      return e.code();
    }
  }

  @Test
  void exposesTheSharedFieldsAndTheMethodDetailsTree() throws Exception {
    String json =
        "{\"amount\":\"1000\",\"currency\":\"usd\",\"recipient\":\"acct_1\",\"description\":\"d\","
            + "\"externalId\":\"order-7\",\"methodDetails\":{\"chainId\":42431,\"feePayer\":true,"
            + "\"memo\":[1,2]}}";

    PaymentRequest request = PaymentRequest.decode(b64(json));

    assertThat(request.amount()).contains(BigInteger.valueOf(1000));
    assertThat(request.currency()).contains("usd");
    assertThat(request.recipient()).contains("acct_1");
    assertThat(request.description()).contains("d");
    assertThat(request.externalId()).contains("order-7");
    assertThat(request.methodDetails())
        .isEqualTo(JSON.readTree("{\"chainId\":42431,\"feePayer\":true,\"memo\":[1,2]}"));
    assertThat(request.json()).isEqualTo(JSON.readTree(json));
  }

  @Test
  void absentFieldsAreEmpty() {
    PaymentRequest request = PaymentRequest.decode("e30");

    assertThat(request.amount()).isEmpty();
    assertThat(request.currency()).isEmpty();
    assertThat(request.methodDetails().isMissingNode()).isTrue();
  }

  @Test
  void returnedTreesAreCopies() {
    PaymentRequest request = PaymentRequest.decode(b64("{\"methodDetails\":{\"a\":\"b\"}}"));

    ((ObjectNode) request.methodDetails()).put("a", "changed");
    request.json().put("amount", "999");

    assertThat(request.methodDetails().get("a").textValue()).isEqualTo("b");
    assertThat(request.amount()).isEmpty();
  }

  @Test
  void keepsTheRawStringExactlyAsReceived() {
    String json = "{\"amount\":\"1\"}"; // 14 bytes: base64 needs padding
    String padded = Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    String unpadded = b64(json);
    assertThat(padded).endsWith("=").isNotEqualTo(unpadded);

    assertThat(PaymentRequest.decode(padded).raw()).isEqualTo(padded);
    assertThat(PaymentRequest.decode(unpadded).raw()).isEqualTo(unpadded);
    assertThat(PaymentRequest.decode(padded).amount()).contains(BigInteger.ONE);
    assertThat(PaymentRequest.decode(padded)).isNotEqualTo(PaymentRequest.decode(unpadded));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "1",
        "007",
        "1000000000",
        "115792089237316195423570985008687907853269984665640564039457584007913129639935"
      })
  void acceptsBaseTenIntegerAmounts(String amount) {
    assertThat(PaymentRequest.decode(b64("{\"amount\":\"" + amount + "\"}")).amount())
        .contains(new BigInteger(amount));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-1",
        "+1",
        "1.0",
        "1.",
        ".5",
        "1e3",
        "1E3",
        " 1",
        "1 ",
        "1_000",
        "1,000",
        "0x10",
        "\u0661\u0662\u0663",
        "\uff11",
        "NaN",
        "Infinity",
        "1234567890123456789012345678901234567890123456789012345678901234567890123456789"
      })
  void rejectsEveryOtherAmountString(String amount) {
    String json = "{\"amount\":" + JSON.getNodeFactory().textNode(amount) + "}";

    assertThat(codeOf(b64(json))).isEqualTo(ErrorCode.INVALID_AMOUNT);
    assertThatThrownBy(() -> PaymentRequest.parseAmount(amount))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_AMOUNT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1000", "1.5", "-1", "true", "null", "[\"1\"]", "{}"})
  void rejectsAmountsThatAreNotStrings(String amount) {
    assertThat(codeOf(b64("{\"amount\":" + amount + "}"))).isEqualTo(ErrorCode.INVALID_AMOUNT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"currency", "recipient", "description", "externalId"})
  void rejectsSharedTextFieldsOfAnotherType(String field) {
    assertThat(codeOf(b64("{\"" + field + "\":1}"))).isEqualTo(ErrorCode.MALFORMED_REQUEST);
  }

  @Test
  void rejectsMethodDetailsThatAreNotAnObject() {
    assertThat(codeOf(b64("{\"methodDetails\":[]}"))).isEqualTo(ErrorCode.MALFORMED_REQUEST);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "\"s\"",
        "1",
        "null",
        "true",
        "{\"a\":1,\"a\":2}",
        "{\"a\":1} x",
        "{\"a\":1}{}",
        "{'a':1}",
        "{\"a\":NaN}",
        "{\"a\":01}",
        ""
      })
  void rejectsJsonThatIsNotOneStrictObject(String json) {
    assertThat(codeOf(b64(json))).isEqualTo(ErrorCode.MALFORMED_REQUEST);
  }

  @ParameterizedTest
  @ValueSource(strings = {"e30===", "e3", "e30!", "e3+0", "e3/0", "e 30", "", "=", "a"})
  void rejectsTextThatIsNotBase64Url(String raw) {
    assertThat(codeOf(raw)).isEqualTo(ErrorCode.MALFORMED_REQUEST);
  }

  @Test
  void rejectsBytesThatAreNotUtf8() {
    byte[] latin1 = "{\"d\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    byte[] utf16 = "{}".getBytes(StandardCharsets.UTF_16);
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'};

    assertThat(codeOf(Base64.getUrlEncoder().encodeToString(latin1)))
        .isEqualTo(ErrorCode.MALFORMED_REQUEST);
    assertThat(codeOf(Base64.getUrlEncoder().encodeToString(utf16)))
        .isEqualTo(ErrorCode.MALFORMED_REQUEST);
    assertThat(codeOf(Base64.getUrlEncoder().encodeToString(bom)))
        .isEqualTo(ErrorCode.MALFORMED_REQUEST);
    assertThat(PaymentRequest.decode(b64("{\"d\":\"caf\u00e9 \ud83d\ude00\"}")).text("d"))
        .contains("caf\u00e9 \ud83d\ude00");
  }

  @Test
  void rejectsDeeplyNestedJsonWithoutOverflowingTheStack() {
    String json = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

    assertThat(codeOf(b64(json))).isEqualTo(ErrorCode.MALFORMED_REQUEST);
  }

  @Test
  void rejectsOversizedRequestsBeforeDecodingThem() {
    String huge = "A".repeat(1_000_000);

    assertThat(codeOf(huge)).isEqualTo(ErrorCode.HEADER_TOO_LARGE);
  }

  @Test
  void ofWritesCanonicalJsonAsAServerWould() throws Exception {
    ObjectNode json =
        (ObjectNode) JSON.readTree("{\"recipient\":\"r\",\"amount\":\"5\",\"n\":1.50}");

    PaymentRequest request = PaymentRequest.of(json);

    assertThat(new String(Base64.getUrlDecoder().decode(request.raw()), StandardCharsets.UTF_8))
        .isEqualTo("{\"amount\":\"5\",\"n\":1.5,\"recipient\":\"r\"}");
    assertThat(request.raw()).doesNotContain("=");
  }

  @Test
  void toStringShowsTheDecodedRequest() {
    assertThat(PaymentRequest.decode(b64("{\"amount\":\"5\"}")).toString())
        .isEqualTo("PaymentRequest{\"amount\":\"5\"}");
  }
}
