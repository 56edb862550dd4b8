package dev.mpp.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodyDigestTest {
  static final byte[] BODY = "{\"amount\":\"1000\"}".getBytes(StandardCharsets.UTF_8);
  static final String SHA256 = "Bxp4xJtbVfsB9npD5AEWUnIk76Cuv8Au4ECDA+F0biY=";

  @Test
  void issueVector() {
    assertThat(BodyDigest.sha256(BODY).toString()).isEqualTo("sha-256=:" + SHA256 + ":");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sha-256=:" + SHA256 + ":",
        "sha-256=" + SHA256,
        "sha-256=Bxp4xJtbVfsB9npD5AEWUnIk76Cuv8Au4ECDA+F0biY",
        "SHA-256=:" + SHA256 + ":",
        "unixsum=:AAA=:, sha-256=:" + SHA256 + ":",
        " sha-256 = :" + SHA256 + ": "
      })
  void parsesTheRfc9530AndReferenceClientForms(String value) {
    BodyDigest digest = BodyDigest.parse(value);

    assertThat(digest.matches(BODY)).isTrue();
    assertThat(digest.matches("{\"amount\":\"1001\"}".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(digest).isEqualTo(BodyDigest.sha256(BODY));
  }

  @Test
  void sha512AndSeveralAlgorithmsMustAllMatch() {
    BodyDigest sha512 = BodyDigest.sha512(BODY);
    assertThat(sha512.toString()).startsWith("sha-512=:").endsWith(":");
    assertThat(BodyDigest.parse(sha512.toString()).matches(BODY)).isTrue();

    BodyDigest both = BodyDigest.parse(BodyDigest.sha256(BODY) + ", " + sha512);
    assertThat(both.matches(BODY)).isTrue();

    BodyDigest conflicting =
        BodyDigest.parse(BodyDigest.sha256(BODY) + ", " + BodyDigest.sha512(new byte[0]));
    assertThat(conflicting.matches(BODY)).isFalse();
  }

  @Test
  void anEmptyBodyHasTheDigestOfNoBytes() {
    String empty = Base64.getEncoder().encodeToString(new byte[32]);
    assertThat(BodyDigest.sha256(new byte[0]).toString())
        .isEqualTo("sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:");
    assertThat(BodyDigest.parse("sha-256=:" + empty + ":").matches(new byte[0])).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "sha-256",
        "=:abc:",
        "sha-256=::",
        "sha-256=:AAAA:",
        "sha-256=:not base64!:",
        "sha-256=:Bxp4xJtbVfsB9npD5AEWUnIk76Cuv8Au4ECDA-F0biY=:",
        "md5=:AAAAAAAAAAAAAAAAAAAAAA==:",
        "sha-512=:" + SHA256 + ":",
        "sha-256=:" + SHA256 + ":, "
      })
  void malformedOrUnsupportedDigestsAreTypedErrors(String value) {
    assertThatThrownBy(() -> BodyDigest.parse(value))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_DIGEST));
  }

  @Test
  void aChallengeWithAMalformedDigestIsInvalid() {
    Challenges all =
        Challenge.parseAll(
            java.util.List.of(
                "Payment id=\"a\", realm=\"r\", method=\"tempo\", intent=\"charge\","
                    + " request=\"e30\", digest=\"md5=:AAAA:\""));

    assertThat(all.valid()).isEmpty();
    assertThat(all.invalid().get(0).error().code()).isEqualTo(ErrorCode.MALFORMED_DIGEST);
  }
}
