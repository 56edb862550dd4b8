package dev.mpp.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProblemTest {
  static Problem parse(String json) {
    return Problem.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @CsvSource({
    "payment-required, PAYMENT_REQUIRED, true",
    "payment-insufficient, PAYMENT_INSUFFICIENT, false",
    "payment-expired, PAYMENT_EXPIRED, true",
    "verification-failed, VERIFICATION_FAILED, false",
    "method-unsupported, METHOD_UNSUPPORTED, true",
    "malformed-credential, MALFORMED_CREDENTIAL, true",
    "invalid-challenge, INVALID_CHALLENGE, true",
    "invalid-payload, INVALID_PAYLOAD, true",
    "bad-request, BAD_REQUEST, true",
    "payment-action-required, PAYMENT_ACTION_REQUIRED, false",
    "internal-payment-error, INTERNAL_PAYMENT_ERROR, false"
  })
  void mapsEveryKnownTypeUri(String slug, ProblemType type, boolean provesNoSettlement) {
    Problem problem = parse("{\"type\":\"https://paymentauth.org/problems/" + slug + "\"}");

    assertThat(problem.type()).isEqualTo(type);
    assertThat(type.uri()).isEqualTo("https://paymentauth.org/problems/" + slug);
    assertThat(type.provesNoSettlement()).isEqualTo(provesNoSettlement);
    assertThat(ProblemType.fromUri(slug)).isEqualTo(type);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"type\":\"about:blank\"}",
        "{\"type\":\"https://paymentauth.org/problems/session/insufficient-balance\"}",
        "{\"type\":\"https://example.invalid/problems/payment-expired\"}",
        "{\"type\":\"https://paymentauth.org/problems/Payment-Expired\"}",
        "{\"type\":\"https://paymentauth.org/problems/\"}",
        "{\"type\":7}"
      })
  void everythingElseIsUnknownAndNeverProvesNoSettlement(String json) {
    Problem problem = parse(json);

    assertThat(problem.type()).isEqualTo(ProblemType.UNKNOWN);
    assertThat(problem.type().provesNoSettlement()).isFalse();
  }

  @Test
  void exposesTheStandardAndExtensionMembers() {
    Problem problem =
        parse(
            "{\"type\":\"https://paymentauth.org/problems/invalid-challenge\",\"title\":\"T\","
                + "\"status\":402,\"detail\":\"D\",\"challengeId\":\"c1\",\"retryable\":\"no\"}");

    assertThat(problem.typeUri()).contains("https://paymentauth.org/problems/invalid-challenge");
    assertThat(problem.title()).contains("T");
    assertThat(problem.status()).contains(402);
    assertThat(problem.detail()).contains("D");
    assertThat(problem.challengeId()).contains("c1");
    assertThat(problem.text("retryable")).contains("no");
    assertThat(problem.json().get("status").intValue()).isEqualTo(402);
    assertThat(problem.toString())
        .isEqualTo("Problem[https://paymentauth.org/problems/invalid-challenge: D]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"402\"", "402.5", "1e3", "99999999999", "null"})
  void statusIsOnlyAnIntegralNumber(String status) {
    assertThat(parse("{\"status\":" + status + "}").status()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[]", "\"x\"", "<html>", "{\"a\":1,\"a\":2}", "{"})
  void rejectsBodiesThatAreNotOneJsonObject(String body) {
    assertThatThrownBy(() -> parse(body))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_PROBLEM));
  }

  @Test
  void rejectsOversizedBodies() {
    byte[] huge = new byte[Problem.MAX_BYTES + 1];
    assertThatThrownBy(() -> Problem.parse(huge)).isInstanceOf(ProtocolException.class);
  }

  @EnumSource(ProblemType.class)
  @ParameterizedTest
  void ofBuildsAProblemOfThatType(ProblemType type) {
    Problem problem = Problem.of(type, "why");

    assertThat(problem.type()).isEqualTo(type);
    assertThat(problem.detail()).contains("why");
  }
}
