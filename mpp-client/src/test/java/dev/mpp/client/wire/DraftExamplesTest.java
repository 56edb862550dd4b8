package dev.mpp.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The examples of draft-httpauth-payment-00, copied verbatim, parse as the draft describes them.
 * Where the draft's prose and its encoded bytes disagree (the decoded-request listings show
 * lower-case {@code usd} and a {@code methodDetails} object that the base64 does not contain), the
 * bytes win: they are what a server sends.
 */
class DraftExamplesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** HTTP/1.1 obs-fold: a recipient replaces each CRLF + indentation with one space. */
  static String unfold(String folded) {
    return folded.strip().replaceAll("\\R[ \\t]+", " ");
  }

  /** The field values of every {@code WWW-Authenticate:} line of a draft listing. */
  static List<String> fields(String listing) {
    return Arrays.stream(listing.strip().split("\\R"))
        .map(line -> line.substring("WWW-Authenticate: ".length()))
        .toList();
  }

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  /** The draft elides requests as {@code "..."}; this stands in for one. */
  static final String REQUEST = "eyJhbW91bnQiOiIxMDAwIiwiY3VycmVuY3kiOiJ1c2QifQ";

  @Test
  void exampleChallenge() throws Exception {
    String folded =
        """
        Payment id="x7Tg2pLqR9mKvNwY3hBcZa",
            realm="api.example.com",
            method="example",
            intent="charge",
            expires="2025-01-15T12:05:00Z",
            request="eyJhbW91bnQiOiIxMDAwIiwiY3VycmVuY3kiOiJVU0QiLCJyZWNpcGllbnQiOiJhY2N0XzEyMyJ9"
        """;

    Challenge c = Challenge.parse(unfold(folded));

    assertThat(c.id()).isEqualTo("x7Tg2pLqR9mKvNwY3hBcZa");
    assertThat(c.realm()).isEqualTo("api.example.com");
    assertThat(c.method()).isEqualTo("example");
    assertThat(c.intent()).isEqualTo("charge");
    assertThat(c.expires()).contains(Instant.parse("2025-01-15T12:05:00Z"));
    assertThat(c.request().json())
        .isEqualTo(json("{\"amount\":\"1000\",\"currency\":\"USD\",\"recipient\":\"acct_123\"}"));
    assertThat(c.request().amount()).contains(BigInteger.valueOf(1000));
    assertThat(c.request().recipient()).contains("acct_123");
  }

  @Test
  void foldedLinesAreNotAcceptedUnfolded() {
    // The HTTP library unfolds obs-fold; a raw line break inside a field value is an error.
    Challenges all =
        Challenge.parseAll(
            List.of(
                "Payment id=\"a\",\r\n    realm=\"r\", method=\"tempo\", intent=\"charge\","
                    + " request=\"e30\""));

    assertThat(all.valid()).isEmpty();
    assertThat(all.invalid()).isNotEmpty();
  }

  @Test
  void bodyDigestChallenge() {
    String folded =
        """
        Payment id="...",
            realm="api.example.com",
            method="example",
            intent="charge",
            digest="sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
            expires="2025-01-15T12:05:00Z",
            request="..."
        """;

    // As printed, the elided request is not base64url JSON: a typed error, not a crash.
    Challenges literal = Challenge.parseAll(List.of(unfold(folded)));
    assertThat(literal.valid()).isEmpty();
    assertThat(literal.invalid())
        .singleElement()
        .satisfies(i -> assertThat(i.error().code()).isEqualTo(ErrorCode.MALFORMED_REQUEST));

    Challenge c =
        Challenge.parse(unfold(folded).replace("request=\"...\"", "request=\"" + REQUEST + "\""));
    assertThat(c.id()).isEqualTo("...");
    assertThat(c.digestRaw()).contains("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
    assertThat(c.digest().orElseThrow().toString())
        .isEqualTo("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
  }

  @Nested
  class SeveralChallenges {
    static final String NEGOTIATION =
        """
        WWW-Authenticate: Payment id="pT7yHnKmQ2wErXsZ5vCbNl", realm="api.example.com", method="tempo", intent="charge", request="..."
        WWW-Authenticate: Payment id="nH6xJkLpO3qRtYsA6wDcVb", realm="api.example.com", method="tempo", intent="session", request="..."
        WWW-Authenticate: Payment id="mF8uJkLpO3qRtYsA6wDcVb", realm="api.example.com", method="stripe", intent="charge", request="..."
        WWW-Authenticate: Payment id="kD4vLmNpQ2rStUwX5yAbCe", realm="api.example.com", method="solana", intent="charge", request="..."
        """;

    static final String MULTIPLE_OPTIONS =
        """
        WWW-Authenticate: Payment id="pT7yHnKmQ2wErXsZ5vCbNl", realm="api.example.com", method="invoice", intent="charge", request="..."
        WWW-Authenticate: Payment id="mF8uJkLpO3qRtYsA6wDcVb", realm="api.example.com", method="signed", intent="charge", request="..."
        """;

    static final String INTENTS =
        """
        WWW-Authenticate: Payment id="abc", realm="api.example.com", method="example", intent="charge", request="..."
        WWW-Authenticate: Payment id="def", realm="api.example.com", method="example", intent="authorize", request="..."
        """;

    static final String WILDCARD_RANKED =
        """
        WWW-Authenticate: Payment id="tM4nOpQrS5uVwXyZ6aBcDe", realm="api.example.com", method="tempo", intent="session", request="..."
        WWW-Authenticate: Payment id="uN5oPqRsT6vWxYzA7bCdEf", realm="api.example.com", method="tempo", intent="charge", request="..."
        WWW-Authenticate: Payment id="qE3rFgHiJ4kLmNpO5sAtBu", realm="api.example.com", method="solana", intent="charge", request="..."
        WWW-Authenticate: Payment id="vP6qRtSuV7wXyZaB8cDeFg", realm="api.example.com", method="stripe", intent="charge", request="..."
        """;

    static List<String> withRequests(String listing) {
      return fields(listing).stream()
          .map(f -> f.replace("request=\"...\"", "request=\"" + REQUEST + "\""))
          .toList();
    }

    @Test
    void negotiationExampleInServerOrder() {
      Challenges all = Challenge.parseAll(withRequests(NEGOTIATION));

      assertThat(all.invalid()).isEmpty();
      assertThat(all.valid())
          .extracting(Challenge::id, c -> c.method() + "/" + c.intent())
          .containsExactly(
              tuple("pT7yHnKmQ2wErXsZ5vCbNl", "tempo/charge"),
              tuple("nH6xJkLpO3qRtYsA6wDcVb", "tempo/session"),
              tuple("mF8uJkLpO3qRtYsA6wDcVb", "stripe/charge"),
              tuple("kD4vLmNpQ2rStUwX5yAbCe", "solana/charge"));
    }

    @Test
    void theSameChallengesCommaJoinedInOneField() {
      Challenges all = Challenge.parseAll(List.of(String.join(", ", withRequests(NEGOTIATION))));

      assertThat(all.valid())
          .extracting(Challenge::id)
          .containsExactly(
              "pT7yHnKmQ2wErXsZ5vCbNl",
              "nH6xJkLpO3qRtYsA6wDcVb",
              "mF8uJkLpO3qRtYsA6wDcVb",
              "kD4vLmNpQ2rStUwX5yAbCe");
    }

    @Test
    void multipleOptionsIntentsAndWildcardRankedExamples() {
      assertThat(Challenge.parseAll(withRequests(MULTIPLE_OPTIONS)).valid())
          .extracting(Challenge::method)
          .containsExactly("invoice", "signed");
      assertThat(Challenge.parseAll(withRequests(INTENTS)).valid())
          .extracting(Challenge::id, Challenge::intent)
          .containsExactly(tuple("abc", "charge"), tuple("def", "authorize"));
      assertThat(Challenge.parseAll(withRequests(WILDCARD_RANKED)).valid())
          .extracting(Challenge::id)
          .containsExactly(
              "tM4nOpQrS5uVwXyZ6aBcDe",
              "uN5oPqRsT6vWxYzA7bCdEf",
              "qE3rFgHiJ4kLmNpO5sAtBu",
              "vP6qRtSuV7wXyZaB8cDeFg");
    }

    @Test
    void asPrintedTheElidedRequestsAreEachReportedWithoutLosingTheOthers() {
      Challenges all = Challenge.parseAll(fields(NEGOTIATION));

      assertThat(all.valid()).isEmpty();
      assertThat(all.invalid()).hasSize(4);
      assertThat(all.invalid())
          .allSatisfy(i -> assertThat(i.error().code()).isEqualTo(ErrorCode.MALFORMED_REQUEST));
      assertThat(all.invalid().get(2).excerpt()).contains("mF8uJkLpO3qRtYsA6wDcVb");
    }
  }

  @Nested
  class OneTimeCharge {
    static final String CHALLENGE =
        """
        Payment id="qB3wErTyU7iOpAsD9fGhJk",
            realm="api.example.com",
            method="invoice",
            intent="charge",
            expires="2025-01-15T12:05:00Z",
            request="eyJhbW91bnQiOiIxMDAwIiwiY3VycmVuY3kiOiJVU0QiLCJpbnZvaWNlIjoiaW52XzEyMzQ1In0"
        """;

    @Test
    void challengeAndProblem() throws Exception {
      Challenge c = Challenge.parse(unfold(CHALLENGE));
      assertThat(c.method()).isEqualTo("invoice");
      assertThat(c.request().json())
          .isEqualTo(json("{\"amount\":\"1000\",\"currency\":\"USD\",\"invoice\":\"inv_12345\"}"));

      Problem problem =
          Problem.parse(
              """
              {
                "type": "https://paymentauth.org/problems/payment-required",
                "title": "Payment Required",
                "status": 402,
                "detail": "Payment required for access.",
                "challengeId": "qB3wErTyU7iOpAsD9fGhJk"
              }
              """
                  .getBytes(StandardCharsets.UTF_8));
      assertThat(problem.type()).isEqualTo(ProblemType.PAYMENT_REQUIRED);
      assertThat(problem.status()).contains(402);
      assertThat(problem.challengeId()).contains(c.id());
      assertThat(problem.title()).contains("Payment Required");
    }

    @Test
    void theCredentialAsPrintedLacksTheChallengeObjectAndIsRefused() {
      // The draft prints an older shape ({"id":…,"payload":…}) above the decoded credential.
      assertThatThrownBy(
              () ->
                  Credential.parse(
                      "Payment eyJpZCI6InFCM3dFclR5VTdpT3BBc0Q5ZkdoSmsiLCJwYXlsb2FkIjp7InByZWlt"
                          + "YWdlIjoiMHhhYmMxMjMuLi4ifX0"))
          .isInstanceOfSatisfying(
              ProtocolException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_CREDENTIAL));
    }

    @Test
    void receipt() {
      Receipt receipt =
          Receipt.parse(
              "eyJzdGF0dXMiOiJzdWNjZXNzIiwibWV0aG9kIjoiaW52b2ljZSIsInRpbWVzdGFtcCI6IjIwMjUtMDEtMT"
                  + "VUMTI6MDA6MDBaIiwicmVmZXJlbmNlIjoiaW52XzEyMzQ1In0");

      assertThat(receipt.status()).isEqualTo("success");
      assertThat(receipt.method()).isEqualTo("invoice");
      assertThat(receipt.reference()).isEqualTo("inv_12345");
      assertThat(receipt.timestamp()).contains(Instant.parse("2025-01-15T12:00:00Z"));
    }
  }

  @Test
  void exampleCredential() throws Exception {
    Credential credential =
        Credential.parse(
            "Payment eyJjaGFsbGVuZ2UiOnsiaWQiOiJ4N1RnMnBMcVI5bUt2TndZM2hCY1phIiwicmVhbG0iOiJhcG"
                + "kuZXhhbXBsZS5jb20iLCJtZXRob2QiOiJleGFtcGxlIiwiaW50ZW50IjoiY2hhcmdlIiwicmVxdWVz"
                + "dCI6ImV5SmhiVzkxYm5RaU9pSXhNREF3SWl3aVkzVnljbVZ1WTNraU9pSlZVMFFpTENKeVpXTnBjR2"
                + "xsYm5RaU9pSmhZMk4wWHpFeU15SjkiLCJleHBpcmVzIjoiMjAyNS0wMS0xNVQxMjowNTowMFoifSwi"
                + "cGF5bG9hZCI6eyJwcm9vZiI6IjB4YWJjMTIzLi4uIn19");

    assertThat(credential.challenge().id()).isEqualTo("x7Tg2pLqR9mKvNwY3hBcZa");
    assertThat(credential.challenge().method()).isEqualTo("example");
    assertThat(credential.challenge().request().raw())
        .isEqualTo("eyJhbW91bnQiOiIxMDAwIiwiY3VycmVuY3kiOiJVU0QiLCJyZWNpcGllbnQiOiJhY2N0XzEyMyJ9");
    assertThat(credential.challenge().expiresRaw()).contains("2025-01-15T12:05:00Z");
    assertThat(credential.payload()).isEqualTo(json("{\"proof\":\"0xabc123...\"}"));
    assertThat(credential.source()).isEmpty();
  }

  @Test
  void signedAuthorizationExample() throws Exception {
    String request =
        "eyJhbW91bnQiOiI1MDAwIiwiYXNzZXQiOiJVU0QiLCJyZWNpcGllbnQiOiIweDc0MmQzNUNjNjYzNEMwNTMy"
            + "OTI1YTNiODQ0QmM5ZTc1OTVmOGZFMDAiLCJub25jZSI6IjB4MTIzNDU2Nzg5MCJ9";
    String decoded =
        """
        {
          "challenge": {
            "id": "zL4xCvBnM6kJhGfD8sAaWe",
            "realm": "api.example.com",
            "method": "signed",
            "intent": "charge",
            "request": "%s",
            "expires": "2025-01-15T12:05:00Z"
          },
          "source": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
          "payload": {
            "signature": "0x1b2c3d4e5f..."
          }
        }
        """
            .formatted(request);
    String header =
        "Payment "
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(decoded.getBytes(StandardCharsets.UTF_8));

    Credential credential = Credential.parse(header);

    assertThat(credential.source())
        .contains("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
    assertThat(credential.challenge().request().amount()).contains(BigInteger.valueOf(5000));
    assertThat(credential.challenge().request().recipient())
        .contains("0x742d35Cc6634C0532925a3b844Bc9e7595f8fE00");
    assertThat(credential.challenge().request().text("nonce")).contains("0x1234567890");
    assertThat(credential.toJson()).isEqualTo(json(decoded));
  }

  @Test
  void failedVerificationProblem() {
    Problem problem =
        Problem.parse(
            """
            {
              "type": "https://paymentauth.org/problems/verification-failed",
              "title": "Payment Verification Failed",
              "status": 402,
              "detail": "Invalid payment proof."
            }
            """
                .getBytes(StandardCharsets.UTF_8));

    assertThat(problem.type()).isEqualTo(ProblemType.VERIFICATION_FAILED);
    assertThat(problem.type().provesNoSettlement()).isFalse();
    assertThat(problem.detail()).contains("Invalid payment proof.");
  }

  @Nested
  class AcceptPaymentExamples {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "tempo/charge, tempo/session, stripe/charge;q=0.5, solana/charge;q=0.3",
          "tempo/*, solana/*;q=0.6, */session;q=0.3",
          "tempo/charge, tempo/session;q=0, solana/charge",
          "tempo/charge, solana/charge",
          "tempo/*, solana/*;q=0.6, stripe/charge;q=0.2",
          "tempo/charge, tempo/session;q=0, solana/charge;q=0.8, stripe/charge;q=0.4"
        })
    void everyExampleIsAlreadyNormalized(String value) {
      assertThat(AcceptPayment.parse(value).toString()).isEqualTo(value);
    }

    @Test
    void weightsRankOffersAsTheDraftDescribes() {
      AcceptPayment accept = AcceptPayment.parse("tempo/*, solana/*;q=0.6, stripe/charge;q=0.2");

      assertThat(accept.weightOf("tempo", "session")).isEqualTo(1000);
      assertThat(accept.weightOf("tempo", "charge")).isEqualTo(1000);
      assertThat(accept.weightOf("solana", "charge")).isEqualTo(600);
      assertThat(accept.weightOf("stripe", "charge")).isEqualTo(200);
      assertThat(accept.weightOf("lightning", "charge")).isZero();
    }

    @Test
    void qZeroDeclaresACapabilityUnacceptable() {
      AcceptPayment accept =
          AcceptPayment.parse(
              "tempo/charge, tempo/session;q=0, solana/charge;q=0.8, stripe/charge;q=0.4");

      assertThat(accept.ranges())
          .extracting(AcceptPayment.Range::weight)
          .containsExactly(1000, 0, 800, 400);
      assertThat(accept.weightOf("tempo", "session")).isZero();
    }
  }
}
