package dev.mpp.client.wire;

import static dev.mpp.client.wire.ChallengeTest.b64;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOURCE =
      "did:pkh:eip155:42431:0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1";
  private static final String HASH = "0x" + "ab".repeat(32);

  static Challenge issueChallenge() {
    return Challenge.parse(
        "Payment id=\"abc123\", realm=\"api.example.com\", method=\"tempo\", intent=\"charge\","
            + " request=\"eyJhbW91bnQiOiIxMDAwMDAwIiwiY3VycmVuY3kiOiJVU0QifQ\"");
  }

  static ObjectNode hashPayload() {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("hash", HASH);
    payload.put("type", "hash");
    return payload;
  }

  static JsonNode decode(String header) throws Exception {
    assertThat(header).startsWith("Payment ");
    return JSON.readTree(Base64.getUrlDecoder().decode(header.substring("Payment ".length())));
  }

  static ProtocolException parseError(String header) {
    try {
      Credential.parse(header);
    } catch (ProtocolException e) {
      return e;
    }
    throw new AssertionError("parsed: " + header);
  }

  @Test
  void issueVectorDecodesToTheSameJson() throws Exception {
    String header = Credential.of(issueChallenge(), hashPayload(), SOURCE).toHeaderValue();

    assertThat(header).matches("Payment [A-Za-z0-9_-]+");
    assertThat(decode(header))
        .isEqualTo(
            JSON.readTree(
                """
                {
                  "challenge": {
                    "id": "abc123",
                    "realm": "api.example.com",
                    "method": "tempo",
                    "intent": "charge",
                    "request": "eyJhbW91bnQiOiIxMDAwMDAwIiwiY3VycmVuY3kiOiJVU0QifQ"
                  },
                  "payload": {
                    "hash": "%s",
                    "type": "hash"
                  },
                  "source": "%s"
                }
                """
                    .formatted(HASH, SOURCE)));
  }

  @Test
  void parsesWhatItWrites() {
    Credential credential = Credential.of(issueChallenge(), hashPayload(), SOURCE);

    Credential back = Credential.parse(credential.toHeaderValue());

    assertThat(back.challenge()).isEqualTo(issueChallenge());
    assertThat(back.payload()).isEqualTo(hashPayload());
    assertThat(back.source()).contains(SOURCE);
    assertThat(back.toJson()).isEqualTo(credential.toJson());
  }

  @Test
  void echoesEveryChallengeParameterExactlyIncludingAPaddedRequest() throws Exception {
    String padded = "eyJhbW91bnQiOiIxIn0=";
    Challenge challenge =
        Challenge.parse(
            "Payment id=\"i\", realm=\"r\", method=\"tempo\", intent=\"charge\", request=\""
                + padded
                + "\", expires=\"2025-01-15T12:05:00.000+00:00\", description=\"caf\u00e9\","
                + " digest=\"sha-256=Bxp4xJtbVfsB9npD5AEWUnIk76Cuv8Au4ECDA+F0biY=\","
                + " opaque=\"eyJwaSI6InBpXzEifQ\"");

    JsonNode echoed = decode(Credential.of(challenge, hashPayload(), null).toHeaderValue());

    assertThat(echoed.get("challenge"))
        .isEqualTo(
            JSON.readTree(
                """
                {"id":"i","realm":"r","method":"tempo","intent":"charge","request":"%s",
                 "expires":"2025-01-15T12:05:00.000+00:00","description":"caf\u00e9",
                 "digest":"sha-256=Bxp4xJtbVfsB9npD5AEWUnIk76Cuv8Au4ECDA+F0biY=",
                 "opaque":"eyJwaSI6InBpXzEifQ"}
                """
                    .formatted(padded)));
    assertThat(echoed.has("source")).isFalse();
  }

  @Test
  void theHeaderIsAlwaysBase64UrlSoItCannotCarryCrOrLf() {
    Challenge challenge =
        issueChallenge().toBuilder().description("\"quotes\" \\ \u2028 \ud83d\ude00 \t").build();
    ObjectNode payload = hashPayload();
    payload.put("note", "line1\r\nline2\u0000");

    String header = Credential.of(challenge, payload, "src\r\nInjected: yes").toHeaderValue();

    assertThat(header).matches("Payment [A-Za-z0-9_-]+").doesNotContain("\r").doesNotContain("\n");
    assertThat(Credential.parse(header).payload().get("note").textValue())
        .isEqualTo("line1\r\nline2\u0000");
  }

  @Test
  void toStringNeverShowsThePayloadOrTheWireForm() {
    Credential credential = Credential.of(issueChallenge(), hashPayload(), SOURCE);

    assertThat(credential.toString())
        .contains("abc123")
        .doesNotContain(HASH)
        .doesNotContain(credential.toHeaderValue().substring(8, 40));
  }

  @Test
  void payloadIsCopiedInAndOut() {
    ObjectNode payload = hashPayload();
    Credential credential = Credential.of(issueChallenge(), payload, null);

    payload.put("hash", "changed");
    credential.payload().put("hash", "changed too");

    assertThat(credential.payload().get("hash").textValue()).isEqualTo(HASH);
  }

  @Test
  void acceptsAnyCaseOfTheSchemeAndExtraSpaces() {
    String token =
        Credential.of(issueChallenge(), hashPayload(), null).toHeaderValue().substring(8);

    assertThat(Credential.parse("payment   " + token + "  ").challenge().id()).isEqualTo("abc123");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Payment",
        "Payment ",
        "Bearer abc",
        "Payment !!!",
        "Payment e30",
        "PaymentX e30"
      })
  void rejectsHeadersThatAreNotACredential(String header) {
    assertThat(parseError(header).code()).isEqualTo(ErrorCode.MALFORMED_CREDENTIAL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "{\"payload\":{}}",
        "{\"challenge\":{}}",
        "{\"challenge\":\"x\",\"payload\":{}}",
        "{\"challenge\":{\"id\":\"a\",\"realm\":\"r\",\"method\":\"tempo\",\"intent\":\"charge\","
            + "\"request\":\"e30\"},\"payload\":\"p\"}",
        "{\"challenge\":{\"id\":\"a\",\"realm\":\"r\",\"method\":\"tempo\",\"intent\":\"charge\","
            + "\"request\":\"e30\"},\"payload\":{},\"source\":1}",
        "{\"challenge\":{\"id\":\"a\",\"realm\":\"r\",\"method\":\"TEMPO\",\"intent\":\"charge\","
            + "\"request\":\"e30\"},\"payload\":{}}",
        "{\"challenge\":{\"id\":\"a\",\"realm\":\"r\",\"method\":\"tempo\",\"intent\":\"charge\","
            + "\"request\":\"!\"},\"payload\":{}}"
      })
  void rejectsMalformedCredentialJson(String json) {
    ProtocolException error = parseError("Payment " + b64(json));

    assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_CREDENTIAL);
    assertThat(error.getMessage()).doesNotContain(b64(json));
  }

  @Test
  void rejectsOversizedCredentials() {
    assertThat(parseError("Payment " + "A".repeat(200_000)).code())
        .isEqualTo(ErrorCode.HEADER_TOO_LARGE);
  }

  @Test
  void parsesCredentialsWrittenByOthersWithUnknownMembers() throws Exception {
    String json =
        """
        {"challenge":{"id":"a","realm":"r","method":"tempo","intent":"charge","request":"e30",
          "header":"X-Payment"},"payload":{"signature":"0x1"},"source":"did:key:z","extra":1}
        """;

    Credential credential =
        Credential.parse(
            "Payment "
                + Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));

    assertThat(credential.challenge().id()).isEqualTo("a");
    assertThat(credential.payload()).isEqualTo(JSON.readTree("{\"signature\":\"0x1\"}"));
  }

  /**
   * A credential echoing {@code {"id":"a","realm":"r","method":"tempo","intent":"charge",
   * "request":"e30"}} with {@code members} (JSON object text) set on top.
   */
  private static String credentialWith(String members) throws Exception {
    ObjectNode challenge =
        (ObjectNode)
            JSON.readTree(
                "{\"id\":\"a\",\"realm\":\"r\",\"method\":\"tempo\",\"intent\":\"charge\","
                    + "\"request\":\"e30\"}");
    challenge.setAll((ObjectNode) JSON.readTree(members));
    ObjectNode credential = JSON.createObjectNode();
    credential.set("challenge", challenge);
    credential.putObject("payload");
    return "Payment " + b64(JSON.writeValueAsString(credential));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'{\"opaque\":[\"x\"]}'|opaque|' (or an object of strings)'",
        "'{\"opaque\":{\"pi\":1}}'|opaque|' (or an object of strings)'",
        "'{\"opaque\":null}'|opaque|' (or an object of strings)'",
        "'{\"expires\":1767225600}'|expires|''",
        "'{\"description\":42}'|description|''",
        "'{\"description\":null}'|description|''",
        "'{\"digest\":true}'|digest|''",
        "'{\"id\":7}'|id|''",
        "'{\"request\":{}}'|request|''"
      })
  void aChallengeFieldOfTheWrongJsonTypeIsAnErrorNotDropped(
      String members, String field, String suffix) throws Exception {
    ProtocolException error = parseError(credentialWith(members));

    assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_CREDENTIAL);
    assertThat(error.getMessage())
        .isEqualTo("credential's echoed challenge field '" + field + "' must be a string" + suffix);
  }

  @Test
  void theLegacyObjectOpaqueOfOlderMppxIsKeptAsItsJcsBase64UrlString() throws Exception {
    Credential credential =
        Credential.parse(credentialWith("{\"opaque\":{\"pi\":\"pi_1\",\"a\":\"b\"}}"));

    // base64url of the JCS form {"a":"b","pi":"pi_1"}
    assertThat(credential.challenge().opaque()).contains("eyJhIjoiYiIsInBpIjoicGlfMSJ9");
    assertThat(decode(credential.toHeaderValue()).get("challenge").get("opaque").asText())
        .isEqualTo("eyJhIjoiYiIsInBpIjoicGlfMSJ9");
  }

  @Test
  void everyStringFieldOfTheEchoedChallengeIsKept() throws Exception {
    Challenge challenge =
        Credential.parse(
                credentialWith(
                    "{\"expires\":\"2026-01-29T12:30:00Z\",\"description\":\"d\","
                        + "\"digest\":\"sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\","
                        + "\"opaque\":\"eyJwaSI6InBpXzEifQ\"}"))
            .challenge();

    assertThat(challenge.expiresRaw()).contains("2026-01-29T12:30:00Z");
    assertThat(challenge.description()).contains("d");
    assertThat(challenge.digestRaw())
        .contains("sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=");
    assertThat(challenge.opaque()).contains("eyJwaSI6InBpXzEifQ");
  }
}
