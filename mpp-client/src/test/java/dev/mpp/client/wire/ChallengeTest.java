package dev.mpp.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChallengeTest {
  /** The request of the issue's sample challenge. */
  static final String SAMPLE_REQUEST =
      "eyJhbW91bnQiOiIxMDAwMDAwMDAwIiwiY3VycmVuY3kiOiIweDIwYzAwMDAwMDAwMDAwMDAwMDAwMDAw"
          + "MDAwMDAwMDAwMDAwMDAwMDEiLCJyZWNpcGllbnQiOiIweDc0MmQzNUNjNjYzNEMwNTMyOTI1YTNiODQ0"
          + "QmM5ZTc1OTVmOGZFMDAifQ";

  static final String SAMPLE =
      "Payment id=\"ITdnfSy5EVxmsDHMll-mcEbGENBvnz3jfySVS8uFS7Y\", realm=\"api.example.com\","
          + " method=\"tempo\", intent=\"charge\", request=\""
          + SAMPLE_REQUEST
          + "\", expires=\"2025-01-01T00:00:00.000Z\"";

  /** {@code {}} as base64url. */
  static final String EMPTY = "e30";

  static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static String minimal(String id) {
    return "Payment id=\""
        + id
        + "\", realm=\"api\", method=\"tempo\", intent=\"charge\","
        + " request=\""
        + EMPTY
        + "\"";
  }

  static ProtocolException onlyError(Challenges challenges) {
    assertThat(challenges.valid()).isEmpty();
    assertThat(challenges.invalid()).hasSize(1);
    return challenges.invalid().get(0).error();
  }

  @Test
  void parsesTheIssueSample() {
    Challenge c = Challenge.parse(SAMPLE);

    assertThat(c.id()).isEqualTo("ITdnfSy5EVxmsDHMll-mcEbGENBvnz3jfySVS8uFS7Y");
    assertThat(c.realm()).isEqualTo("api.example.com");
    assertThat(c.method()).isEqualTo("tempo");
    assertThat(c.intent()).isEqualTo("charge");
    assertThat(c.expires()).contains(Instant.parse("2025-01-01T00:00:00Z"));
    assertThat(c.expiresRaw()).contains("2025-01-01T00:00:00.000Z");
    assertThat(c.request().amount()).contains(new BigInteger("1000000000"));
    assertThat(c.request().currency()).contains("0x20c0000000000000000000000000000000000001");
    assertThat(c.request().recipient()).contains("0x742d35Cc6634C0532925a3b844Bc9e7595f8fE00");
    assertThat(c.description()).isEmpty();
    assertThat(c.digest()).isEmpty();
    assertThat(c.opaque()).isEmpty();
  }

  @Test
  void duplicatedParameterMakesTheChallengeInvalid() {
    Challenges all =
        Challenge.parseAll(
            List.of(
                "Payment id=\"a\", realm=\"api\", method=\"tempo\", intent=\"charge\","
                    + " request=\"e30\", id=\"b\""));

    ProtocolException error = onlyError(all);
    assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_CHALLENGE);
    assertThat(error.getMessage()).contains("duplicate").contains("id");
  }

  @Test
  void duplicateDetectionIgnoresTheCaseOfNames() {
    ProtocolException error =
        onlyError(Challenge.parseAll(List.of(minimal("a") + ", REALM=\"other\"")));
    assertThat(error.getMessage()).contains("duplicate");
  }

  @Test
  void schemeAndParameterNamesAreCaseInsensitive() {
    Challenge c =
        Challenge.parse(
            "pAyMeNt ID=\"a\", Realm=\"api\", METHOD=\"tempo\", Intent=\"charge\","
                + " REQUEST=\"e30\"");

    assertThat(c.id()).isEqualTo("a");
    assertThat(c.method()).isEqualTo("tempo");
  }

  @Test
  void acceptsTokenValuesAndWhitespaceAroundEqualsAndCommas() {
    Challenge c =
        Challenge.parse(
            "Payment   id = abc ,realm=\t\"api\"\t,  method =tempo,intent= charge ,"
                + " request = e30");

    assertThat(c.id()).isEqualTo("abc");
    assertThat(c.realm()).isEqualTo("api");
    assertThat(c.method()).isEqualTo("tempo");
    assertThat(c.intent()).isEqualTo("charge");
    assertThat(c.request().raw()).isEqualTo("e30");
  }

  @Test
  void unescapesQuotedPairs() {
    Challenge c =
        Challenge.parse(minimal("a") + ", description=\"say \\\"hi\\\" \\\\ back\\slash, comma\"");

    assertThat(c.description()).contains("say \"hi\" \\ backslash, comma");
  }

  @Test
  void decodesTheUnicodeEscapesMppxWritesAboveLatin1() {
    Challenge c = Challenge.parse(minimal("a") + ", description=\"Premium \\u2014 data\"");

    assertThat(c.description()).contains("Premium \u2014 data");
  }

  @Test
  void writesNonAsciiAsUnicodeEscapesSoEveryHttpLibraryAcceptsTheValue() {
    Challenge c =
        Challenge.builder()
            .id("a")
            .realm("api")
            .method("tempo")
            .intent("charge")
            .request(EMPTY)
            .description("caf\u00e9 \u2014 \ud83d\ude00 \"q\" \\u0041\tend")
            .build();

    String header = c.toHeaderValue();

    assertThat(header.chars()).allMatch(ch -> ch == '\t' || (ch >= 0x20 && ch < 0x7f));
    assertThat(header)
        .contains("description=\"caf\\u00e9 \\u2014 \\ud83d\\ude00 \\\"q\\\" \\\\u0041\tend\"");
    assertThat(Challenge.parse(header)).isEqualTo(c);
    assertThat(Challenge.parse(header).description()).isEqualTo(c.description());
  }

  @Test
  void ignoresUnknownParameters() {
    Challenge c = Challenge.parse(minimal("a") + ", future=\"x\", other=token");

    assertThat(c.id()).isEqualTo("a");
    assertThat(c.toHeaderValue()).doesNotContain("future").doesNotContain("other");
  }

  /** The conformance suite's {@code www-authenticate} / {@code unescaped_quotes_in_description}. */
  @Test
  void unescapedQuotesInTheDescriptionCutItAtTheClosingQuote() {
    Challenge c =
        Challenge.parse(
            "Payment id=\"ch_special\", realm=\"api.example.com\", method=\"tempo\","
                + " intent=\"charge\", request=\"eyJhbW91bnQiOiIxMDAifQ\","
                + " description=\"Payment for \"Premium\" service \u2014 50% off!\"");

    assertThat(c.description()).contains("Payment for ");
    assertThat(c.id()).isEqualTo("ch_special");
    assertThat(c.realm()).isEqualTo("api.example.com");
    assertThat(c.request().raw()).isEqualTo("eyJhbW91bnQiOiIxMDAifQ");
  }

  @Test
  void strayTextAfterAnUnknownQuotedParameterIsIgnoredUpToTheNextComma() {
    Challenge c = Challenge.parse(minimal("a") + ", future=\"x\"y z, description=\"d\"");

    assertThat(c.id()).isEqualTo("a");
    assertThat(c.description()).contains("d");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"id", "realm", "method", "intent", "request", "expires", "digest", "opaque"})
  void strayTextAfterAParameterAPaymentDependsOnMakesTheChallengeInvalid(String name) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("id", "x");
    values.put("realm", "x");
    values.put("method", "tempo");
    values.put("intent", "charge");
    values.put("request", EMPTY);
    values.put("expires", "2099-01-01T00:00:00Z");
    values.put("digest", "sha-256=:Bxp4xJtbVfsB9npD5AEWUnIk76Cuv8Au4ECDA+F0biY=:");
    values.put("opaque", EMPTY);
    StringJoiner header = new StringJoiner(", ", "Payment ", "");
    values.forEach(
        (param, value) ->
            header.add(param + "=\"" + value + "\"" + (param.equals(name) ? "stray\"\"" : "")));

    ProtocolException error = onlyError(Challenge.parseAll(List.of(header.toString())));

    assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_CHALLENGE);
    assertThat(error.getMessage()).isEqualTo("stray text after the quoted value of '" + name + "'");
  }

  @Test
  void strayTextAfterATokenValueStaysAnError() {
    ProtocolException error =
        onlyError(Challenge.parseAll(List.of(minimal("a") + ", description=token stray")));

    assertThat(error.getMessage()).isEqualTo("expected ',' after auth-param 'description'");
  }

  @Test
  void keepsOptionalParametersExactly() {
    String digest = "sha-256=:Bxp4xJtbVfsB9npD5AEWUnIk76Cuv8Au4ECDA+F0biY=:";
    Challenge c =
        Challenge.parse(
            minimal("a")
                + ", expires=\"2025-01-15T12:05:00+01:00\", description=\"Weather\","
                + " digest=\""
                + digest
                + "\", opaque=\"eyJrIjoidiJ9\"");

    assertThat(c.expires()).contains(Instant.parse("2025-01-15T11:05:00Z"));
    assertThat(c.expiresRaw()).contains("2025-01-15T12:05:00+01:00");
    assertThat(c.description()).contains("Weather");
    assertThat(c.digestRaw()).contains(digest);
    assertThat(c.digest()).contains(BodyDigest.parse(digest));
    assertThat(c.opaque()).contains("eyJrIjoidiJ9");
  }

  @Nested
  class SeveralChallenges {
    @Test
    void inOneFieldMixedWithOtherSchemes() {
      Challenges all =
          Challenge.parseAll(
              List.of(
                  "Bearer realm=\"x\", "
                      + minimal("a")
                      + ", Basic realm=\"y\", charset=\"UTF-8\", "
                      + minimal("b")
                      + ", Negotiate abc==, "
                      + minimal("c")));

      assertThat(all.invalid()).isEmpty();
      assertThat(all.valid()).extracting(Challenge::id).containsExactly("a", "b", "c");
    }

    @Test
    void acrossSeveralFieldsInServerOrder() {
      Challenges all =
          Challenge.parseAll(
              List.of(minimal("a"), "Bearer realm=\"x\"", minimal("b") + ", " + minimal("c")));

      assertThat(all.valid()).extracting(Challenge::id).containsExactly("a", "b", "c");
      assertThat(all.isEmpty()).isFalse();
    }

    @Test
    void anInvalidOneKeepsItsValidSiblingsAndIsReportedWithItsReason() {
      Challenges all =
          Challenge.parseAll(
              List.of(
                  minimal("a")
                      + ", Payment id=\"bad\", realm=\"api\", method=\"Tempo\", intent=\"charge\","
                      + " request=\"e30\", "
                      + minimal("c"),
                  "Payment id=\"\", realm=\"r\", method=\"tempo\", intent=\"charge\","
                      + " request=\"e30\"",
                  minimal("d")));

      assertThat(all.valid()).extracting(Challenge::id).containsExactly("a", "c", "d");
      assertThat(all.invalid()).hasSize(2);
      assertThat(all.invalid().get(0).error().code()).isEqualTo(ErrorCode.MALFORMED_CHALLENGE);
      assertThat(all.invalid().get(0).error().getMessage()).contains("method");
      assertThat(all.invalid().get(0).excerpt()).startsWith("Payment id=\"bad\"");
      assertThat(all.invalid().get(1).error().getMessage()).contains("id");
    }

    @Test
    void aControlCharacterInsideAQuotedValueDoesNotSwallowTheNextChallenge() {
      Challenges all =
          Challenge.parseAll(
              List.of(
                  "Payment id=\"a\u0001b\", realm=\"r\", method=\"tempo\", intent=\"charge\","
                      + " request=\"e30\", "
                      + minimal("next")));

      assertThat(all.valid()).extracting(Challenge::id).containsExactly("next");
      assertThat(all.invalid()).hasSize(1);
      assertThat(all.invalid().get(0).error().getMessage()).contains("control character");
      assertThat(all.invalid().get(0).excerpt()).doesNotContain("\u0001");
    }

    @Test
    void otherSchemesAloneYieldNothing() {
      Challenges all = Challenge.parseAll(List.of("Bearer realm=\"x\", Basic abc="));

      assertThat(all.isEmpty()).isTrue();
    }

    @Test
    void parseOfOneValueDemandsExactlyOneChallenge() {
      assertThatThrownBy(() -> Challenge.parse(minimal("a") + ", " + minimal("b")))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("exactly one");
      assertThatThrownBy(() -> Challenge.parse("Bearer realm=\"x\""))
          .isInstanceOf(ProtocolException.class);
    }
  }

  @Nested
  class RequiredParameters {
    @ParameterizedTest
    @ValueSource(strings = {"id", "realm", "method", "intent", "request"})
    void eachIsRequired(String name) {
      String header = minimal("a").replaceFirst("(?<=[ ,])" + name + "=\"[^\"]*\",? ?", "");

      ProtocolException error = onlyError(Challenge.parseAll(List.of(header)));

      assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_CHALLENGE);
      assertThat(error.getMessage()).contains("'" + name + "'");
    }

    @Test
    void idMustNotBeEmpty() {
      ProtocolException error = onlyError(Challenge.parseAll(List.of(minimal(""))));
      assertThat(error.getMessage()).contains("id must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Tempo", "1tempo", "tem po", "tempo!", "", "_x"})
    void methodMustBeLowercaseIdentifier(String method) {
      String header = minimal("a").replace("method=\"tempo\"", "method=\"" + method + "\"");
      assertThat(onlyError(Challenge.parseAll(List.of(header))).code())
          .isEqualTo(ErrorCode.MALFORMED_CHALLENGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tempo", "a", "x-y", "evm:eip155", "stripe_v2", "a1"})
    void methodsOfTheIdentifierGrammarAreAccepted(String method) {
      String header = minimal("a").replace("method=\"tempo\"", "method=\"" + method + "\"");
      assertThat(Challenge.parse(header).method()).isEqualTo(method);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "char ge", "charge!", "ch/arge"})
    void intentMustBeAToken(String intent) {
      String header = minimal("a").replace("intent=\"charge\"", "intent=\"" + intent + "\"");
      assertThat(onlyError(Challenge.parseAll(List.of(header))).code())
          .isEqualTo(ErrorCode.MALFORMED_CHALLENGE);
    }

    @Test
    void aToken68IsNotAPaymentChallenge() {
      ProtocolException error = onlyError(Challenge.parseAll(List.of("Payment abc==")));
      assertThat(error.getMessage()).contains("token68");
    }

    @Test
    void aParameterWithoutValueIsMalformed() {
      ProtocolException error =
          onlyError(Challenge.parseAll(List.of(minimal("a") + ", description=")));
      assertThat(error.getMessage()).contains("no value");
    }
  }

  @Nested
  class Expires {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "2025-01-15T12:05:00Z",
          "2025-01-15t12:05:00z",
          "2025-01-15T12:05:00.123456789Z",
          "2025-01-15T14:05:00+02:00",
          "2025-01-15T07:05:00-05:00"
        })
    void acceptsRfc3339DateTimes(String value) {
      Challenge c = Challenge.parse(minimal("a") + ", expires=\"" + value + "\"");
      assertThat(c.expires().orElseThrow().getEpochSecond())
          .isEqualTo(Instant.parse("2025-01-15T12:05:00Z").getEpochSecond());
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "2025-01-15T12:05Z",
          "2025-01-15 12:05:00Z",
          "2025-01-15T12:05:00",
          "2025-01-15T12:05:00+0200",
          "2025-02-30T12:05:00Z",
          "2025-01-15T25:05:00Z",
          "1736942700",
          "tomorrow",
          "+12025-01-15T12:05:00Z",
          "2025-01-15T12:05:00.Z"
        })
    void rejectsAnythingElse(String value) {
      ProtocolException error =
          onlyError(Challenge.parseAll(List.of(minimal("a") + ", expires=\"" + value + "\"")));
      assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_CHALLENGE);
      assertThat(error.getMessage()).contains("RFC 3339");
    }

    @Test
    void countsAsExpiredWithinTheMarginBeforeExpiry() {
      Instant expiry = Instant.parse("2025-01-01T00:00:10Z");
      Challenge c = Challenge.parse(minimal("a") + ", expires=\"2025-01-01T00:00:10Z\"");
      Duration margin = Duration.ofSeconds(5);

      assertThat(c.isExpired(expiry.minusSeconds(5).minusMillis(1), margin)).isFalse();
      assertThat(c.isExpired(expiry.minusSeconds(5), margin)).isTrue();
      assertThat(c.isExpired(expiry.minusMillis(1), Duration.ZERO)).isFalse();
      assertThat(c.isExpired(expiry, Duration.ZERO)).isTrue();
      assertThat(c.isExpired(expiry.plusSeconds(3600), Duration.ZERO)).isTrue();
      assertThat(c.isExpired(expiry.minusSeconds(5), 5)).isTrue();
      assertThat(c.isExpired(expiry.minusSeconds(6), 5)).isFalse();
    }

    @Test
    void aChallengeWithoutExpiresNeverExpires() {
      assertThat(Challenge.parse(minimal("a")).isExpired(Instant.MAX, Duration.ZERO)).isFalse();
    }
  }

  @Nested
  class Limits {
    @Test
    void acceptsAChallengeOfMoreThan8KiB() {
      String json = "{\"amount\":\"1\",\"pad\":\"" + "x".repeat(9000) + "\"}";
      String header = minimal("a").replace("e30", b64(json));
      assertThat(header.length()).isGreaterThan(8 * 1024);

      assertThat(Challenge.parse(header).request().text("pad"))
          .hasValueSatisfying(v -> assertThat(v).hasSize(9000));
    }

    @Test
    void acceptsADecodedRequestOfExactly16KiB() {
      String prefix = "{\"pad\":\"";
      String json = prefix + "x".repeat(16 * 1024 - prefix.length() - 2) + "\"}";
      assertThat(json).hasSize(16 * 1024);

      assertThat(Challenge.parse(minimal("a").replace("e30", b64(json))).request().raw())
          .isEqualTo(b64(json));
    }

    @Test
    void rejectsADecodedRequestOver16KiB() {
      String prefix = "{\"pad\":\"";
      String json = prefix + "x".repeat(16 * 1024 - prefix.length() - 1) + "\"}";
      assertThat(json).hasSize(16 * 1024 + 1);

      ProtocolException error =
          onlyError(Challenge.parseAll(List.of(minimal("a").replace("e30", b64(json)))));
      assertThat(error.code()).isEqualTo(ErrorCode.HEADER_TOO_LARGE);
    }

    @Test
    void rejectsAFieldOver64KiBWholeButKeepsOtherFields() {
      String huge = minimal("big") + ", description=\"" + "d".repeat(64 * 1024) + "\"";

      Challenges all = Challenge.parseAll(List.of(huge, minimal("ok")));

      assertThat(all.valid()).extracting(Challenge::id).containsExactly("ok");
      assertThat(all.invalid()).hasSize(1);
      assertThat(all.invalid().get(0).error().code()).isEqualTo(ErrorCode.HEADER_TOO_LARGE);
      assertThat(all.invalid().get(0).excerpt().length()).isLessThan(200);
    }

    @Test
    void acceptsAFieldOfExactly64KiB() {
      String base = minimal("big") + ", description=\"\"";
      String exact =
          minimal("big") + ", description=\"" + "d".repeat(64 * 1024 - base.length()) + "\"";
      assertThat(exact).hasSize(Challenge.MAX_FIELD_LENGTH);

      assertThat(Challenge.parse(exact).id()).isEqualTo("big");
    }
  }

  @Nested
  class Building {
    @Test
    void roundTripsThroughTheHeader() {
      Challenge c =
          Challenge.builder()
              .id("x7Tg2pLqR9mKvNwY3hBcZa")
              .realm("api \"quoted\" \\ realm")
              .method("tempo")
              .intent("charge")
              .request(b64("{\"amount\":\"1\"}"))
              .expires(Instant.parse("2025-01-15T12:05:00Z"))
              .description("d")
              .digest("sha-256=:Bxp4xJtbVfsB9npD5AEWUnIk76Cuv8Au4ECDA+F0biY=:")
              .opaque("eyJrIjoidiJ9")
              .build();

      Challenge back = Challenge.parse(c.toHeaderValue());

      assertThat(back).isEqualTo(c).hasSameHashCodeAs(c);
      assertThat(back.realm()).isEqualTo("api \"quoted\" \\ realm");
      assertThat(back.expiresRaw()).contains("2025-01-15T12:05:00Z");
      assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Injected: 1", "a\nb", "a\rb", "a\u0000b", "a\u007fb"})
    void refusesControlCharactersSoNoHeaderCanBeSplit(String value) {
      Challenge.Builder builder =
          Challenge.builder().id("a").realm("r").method("tempo").intent("charge").request(EMPTY);

      assertThatThrownBy(() -> builder.description(value).build())
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("control character");
      assertThatThrownBy(() -> builder.description(null).realm(value).build())
          .isInstanceOf(ProtocolException.class);
      assertThatThrownBy(() -> builder.realm("r").id(value).build())
          .isInstanceOf(ProtocolException.class);
      assertThatThrownBy(() -> builder.id("a").opaque(value).build())
          .isInstanceOf(ProtocolException.class);
    }

    @Test
    void toStringNamesTheOfferWithoutTheRequest() {
      Challenge c = Challenge.parse(SAMPLE);
      assertThat(c.toString())
          .contains("ITdnfSy5EVxmsDHMll-mcEbGENBvnz3jfySVS8uFS7Y")
          .contains("tempo/charge")
          .doesNotContain(c.request().raw());
    }

    @Test
    void equalityFollowsTheWireForm() {
      Challenge a = Challenge.parse(minimal("a"));
      assertThat(a).isEqualTo(Challenge.parse(minimal("a").replace("\"tempo\"", "tempo")));
      assertThat(a).isNotEqualTo(Challenge.parse(minimal("b")));
      assertThat(a).isNotEqualTo(Challenge.parse(minimal("a") + ", description=\"x\""));
    }
  }
}
