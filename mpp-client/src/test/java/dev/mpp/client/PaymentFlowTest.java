package dev.mpp.client;

import static dev.mpp.client.Fixtures.NOW;
import static dev.mpp.client.Fixtures.URL;
import static dev.mpp.client.Fixtures.challenge;
import static dev.mpp.client.Fixtures.paid;
import static dev.mpp.client.Fixtures.paymentRequired;
import static dev.mpp.client.Fixtures.receipt;
import static dev.mpp.client.Fixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mpp.client.FakePayer.FakeAuthorization;
import dev.mpp.client.wire.BodyDigest;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Challenges;
import dev.mpp.client.wire.Problem;
import dev.mpp.client.wire.ProblemType;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PaymentFlowTest {
  final FakePayer payer = new FakePayer();
  final List<String> events = new CopyOnWriteArrayList<>();

  final PaymentListener recorder =
      new PaymentListener() {
        @Override
        public void challengesReceived(PaymentContext context, Challenges challenges) {
          events.add("challenges " + challenges.valid().size() + "/" + challenges.invalid().size());
        }

        @Override
        public void offerChosen(PaymentContext context, Challenge chosen, String rationale) {
          events.add("chosen " + chosen.id());
        }

        @Override
        public void credentialCreated(PaymentContext context, Challenge challenge) {
          events.add("credential " + challenge.id());
        }

        @Override
        public void paid(PaymentContext context, PaymentRecord record) {
          events.add("paid " + record.state());
        }

        @Override
        public void rejected(PaymentContext context, PaymentRecord record, Problem problem) {
          events.add("rejected " + record.state() + " " + (problem == null ? "-" : problem.type()));
        }

        @Override
        public void failed(PaymentContext context, MppException error) {
          events.add("failed " + error.code());
        }

        @Override
        public void outcomeUnknown(PaymentContext context, PaymentRecord record) {
          events.add("unknown " + record.state());
        }
      };

  PaymentFlow.Builder flow() {
    return PaymentFlow.builder(payer).clock(Fixtures.clock()).listener(recorder);
  }

  static PaymentContext get(String url) {
    return PaymentContext.of(URI.create(url), "GET", "agent-1");
  }

  static PaymentContext post(String url, String body) {
    return new PaymentContext(
        URI.create(url), "POST", "agent-1", body.getBytes(StandardCharsets.UTF_8), true, null);
  }

  static <T extends MppException> T refusal(Class<T> type, ThrowingRun run) {
    return catchThrowableOfType(type, run::run);
  }

  @FunctionalInterface
  interface ThrowingRun {
    void run() throws Exception;
  }

  @Test
  void aResponseOtherThan402PassesThroughUnpaid() throws IOException {
    FakeExchange exchange = new FakeExchange(URL).then(FakeResponse.status(200));

    PaymentResult<FakeResponse> result = flow().build().execute(get(URL), exchange);

    assertThat(result.response().status).isEqualTo(200);
    assertThat(result.paymentRecord()).isEmpty();
    assertThat(payer.authorizeCalls()).isZero();
    assertThat(exchange.requests()).hasSize(1);
  }

  @Nested
  class PaysOnce {
    @Test
    void andSettlesWithTheParsedReceipt() throws IOException {
      Challenge offer = challenge("c1");
      FakeResponse challengeResponse = paymentRequired(offer);
      FakeExchange exchange = new FakeExchange(URL).then(challengeResponse).then(paid("0xabc"));

      PaymentResult<FakeResponse> result = flow().build().execute(get(URL), exchange);

      FakeAuthorization authorization = payer.only();
      assertThat(payer.offersSeen()).containsExactly(List.of(offer));
      assertThat(exchange.requests()).hasSize(2);
      assertThat(exchange.requests().get(0)).doesNotContainKey("Authorization");
      assertThat(exchange.requests().get(1))
          .containsEntry("Authorization", authorization.authorizationHeader())
          .doesNotContainKey("Idempotency-Key");
      assertThat(challengeResponse.discarded()).isTrue();
      assertThat(authorization.transitions()).containsExactly("settle 200");
      assertThat(authorization.receipt().reference()).isEqualTo("0xabc");
      assertThat(result.response().status).isEqualTo(200);
      assertThat(result.response().discarded()).isFalse();
      assertThat(result.paymentRecord())
          .hasValueSatisfying(
              r -> {
                assertThat(r.state()).isEqualTo(PaymentState.PAID);
                assertThat(r.reference()).isEqualTo("0xabc");
                assertThat(r.receipt())
                    .hasValueSatisfying(rc -> assertThat(rc.method()).isEqualTo("tempo"));
              });
      assertThat(result.problemDetails()).isEmpty();
      assertThat(events)
          .containsExactly("challenges 1/0", "chosen c1", "credential c1", "paid PAID");
    }

    @Test
    void aSuccessWithoutReceiptSettlesWithANote() throws IOException {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .then(FakeResponse.status(204));

      PaymentResult<FakeResponse> result = flow().build().execute(get(URL), exchange);

      assertThat(payer.only().transitions())
          .containsExactly("settle 204: server sent no Payment-Receipt");
      assertThat(result.paymentRecord().orElseThrow().state()).isEqualTo(PaymentState.PAID);
    }

    @Test
    void aSuccessWithAnInvalidReceiptSettlesWithoutIt() throws IOException {
      String failedReceipt =
          java.util.Base64.getUrlEncoder()
              .encodeToString(
                  "{\"status\":\"failed\",\"method\":\"tempo\",\"reference\":\"r\"}"
                      .getBytes(StandardCharsets.UTF_8));
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .then(FakeResponse.status(200).header("Payment-Receipt", failedReceipt));

      flow().build().execute(get(URL), exchange);

      assertThat(payer.only().receipt()).isNull();
      assertThat(payer.only().transitions().get(0))
          .startsWith("settle 200: invalid Payment-Receipt");
    }

    @Test
    void offersOnlyTheValidChallengesInServerOrder() throws IOException {
      Challenge a = challenge("a");
      Challenge b = challenge("b");
      FakeResponse response =
          FakeResponse.status(402)
              .header("WWW-Authenticate", "Bearer realm=\"x\", " + a.toHeaderValue())
              .header("WWW-Authenticate", "Payment id=\"broken\", realm=\"r\"")
              .header("WWW-Authenticate", b.toHeaderValue());
      FakeExchange exchange = new FakeExchange(URL).then(response).then(paid("r"));

      flow().build().execute(get(URL), exchange);

      assertThat(payer.offersSeen()).containsExactly(List.of(a, b));
      assertThat(events.get(0)).isEqualTo("challenges 2/1");
    }

    @Test
    void aPayerChoosingAChallengeThatWasNotOfferedIsRefusedAndReleased() {
      Challenge other = challenge("not-offered");
      payer.choosing(offers -> other);
      FakeExchange exchange = new FakeExchange(URL).then(paymentRequired(challenge("c1")));

      PaymentFailedException error =
          refusal(PaymentFailedException.class, () -> flow().build().execute(get(URL), exchange));

      assertThat(error.code()).isEqualTo(ErrorCode.RAIL_FAILED);
      assertThat(payer.only().transitions()).singleElement().asString().startsWith("release");
      assertThat(exchange.requests()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "Payment eyJ\r\nX-Injected: yes",
          "Payment eyJ\nabc",
          "Payment caf\u00e9",
          "Bearer abc",
          "Payment ",
          ""
        })
    void anUnsafeAuthorizationHeaderFromThePayerIsNeverSent(String header) {
      payer.rewritingHeader(h -> header);
      FakeExchange exchange = new FakeExchange(URL).then(paymentRequired(challenge("c1")));

      ProtocolException error =
          refusal(ProtocolException.class, () -> flow().build().execute(get(URL), exchange));

      assertThat(error.code()).isEqualTo(ErrorCode.UNSAFE_HEADER_VALUE);
      assertThat(error.getMessage()).doesNotContain("eyJ");
      assertThat(exchange.requests()).hasSize(1);
      assertThat(payer.only().transitions()).singleElement().asString().startsWith("release");
    }

    @Test
    void payerFailuresPropagateAndReleaseThe402() {
      payer.failingWith(
          new PaymentDeniedException(
              ErrorCode.POLICY_DENIED, "agent:agent-1/cap/day", null, null, null, "usd", "cap"));
      FakeResponse response = paymentRequired(challenge("c1"));
      FakeExchange exchange = new FakeExchange(URL).then(response);

      PaymentDeniedException error =
          refusal(PaymentDeniedException.class, () -> flow().build().execute(get(URL), exchange));

      assertThat(error.rule()).isEqualTo("agent:agent-1/cap/day");
      assertThat(response.discarded()).isTrue();
      assertThat(events).contains("failed POLICY_DENIED");
    }

    @Test
    void aPayerBugStillReleasesThe402() {
      payer.failingWith(new IllegalStateException("bug"));
      FakeResponse response = paymentRequired(challenge("c1"));
      FakeExchange exchange = new FakeExchange(URL).then(response);

      assertThatThrownBy(() -> flow().build().execute(get(URL), exchange))
          .isInstanceOf(IllegalStateException.class);
      assertThat(response.discarded()).isTrue();
    }
  }

  @Nested
  class SecondPaymentRequired {
    @ParameterizedTest
    @CsvSource({
      "INVALID_CHALLENGE, release",
      "PAYMENT_EXPIRED, release",
      "MALFORMED_CREDENTIAL, release",
      "METHOD_UNSUPPORTED, release",
      "PAYMENT_REQUIRED, release",
      "INVALID_PAYLOAD, release",
      "BAD_REQUEST, release",
      "VERIFICATION_FAILED, unknown",
      "PAYMENT_INSUFFICIENT, unknown",
      "PAYMENT_ACTION_REQUIRED, unknown",
      "INTERNAL_PAYMENT_ERROR, unknown"
    })
    void isReportedToThePayerWithItsProblemTypeAndNeverRepaid(ProblemType type, String outcome)
        throws IOException {
      FakeResponse second = rejected(type, challenge("fresh"));
      FakeExchange exchange =
          new FakeExchange(URL).then(paymentRequired(challenge("c1"))).then(second);

      PaymentResult<FakeResponse> result = flow().build().execute(get(URL), exchange);

      assertThat(payer.authorizeCalls()).isEqualTo(1);
      assertThat(exchange.requests()).hasSize(2);
      assertThat(payer.only().transitions())
          .containsExactly(outcome + ": credential rejected with 402 " + type.uri());
      assertThat(result.response()).isSameAs(second);
      assertThat(second.discarded()).isFalse();
      assertThat(result.problemDetails())
          .hasValueSatisfying(p -> assertThat(p.type()).isEqualTo(type));
      assertThat(result.paymentRecord().orElseThrow().state())
          .isEqualTo(outcome.equals("release") ? PaymentState.RELEASED : PaymentState.UNKNOWN);
      assertThat(events).last().asString().startsWith("rejected");
    }

    @Test
    void withoutProblemDetailsTheOutcomeIsUnknown() throws IOException {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .then(paymentRequired(challenge("c2")).body("<html>nope</html>"));

      PaymentResult<FakeResponse> result = flow().build().execute(get(URL), exchange);

      assertThat(payer.only().transitions())
          .containsExactly("unknown: credential rejected with 402 (no problem details)");
      assertThat(result.problemDetails()).isEmpty();
    }

    @Test
    void anUnknownProblemTypeIsReportedVerbatimAndCountsAsUnknown() throws IOException {
      String type = "https://paymentauth.org/problems/session/insufficient-balance";
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .then(rejected(type, challenge("c2")));

      flow().build().execute(get(URL), exchange);

      assertThat(payer.only().transitions())
          .containsExactly("unknown: credential rejected with 402 " + type);
    }
  }

  @Nested
  class MaxPaymentAttempts {
    @ParameterizedTest
    @EnumSource(names = {"INVALID_CHALLENGE", "PAYMENT_EXPIRED"})
    void twoAllowsOneFreshAttemptAfterARejectionThatProvesNoSettlement(ProblemType type)
        throws IOException {
      Challenge fresh = challenge("fresh");
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .then(rejected(type, fresh))
              .then(paid("0x2"));

      PaymentResult<FakeResponse> result =
          flow().maxPaymentAttempts(2).build().execute(get(URL), exchange);

      assertThat(payer.offersSeen()).containsExactly(List.of(challenge("c1")), List.of(fresh));
      assertThat(payer.authorizations().get(0).transitions())
          .singleElement()
          .asString()
          .startsWith("release");
      assertThat(payer.authorizations().get(1).transitions()).containsExactly("settle 200");
      assertThat(exchange.requests().get(2).get("Authorization"))
          .isEqualTo(payer.authorizations().get(1).authorizationHeader())
          .isNotEqualTo(payer.authorizations().get(0).authorizationHeader());
      assertThat(result.paymentRecord().orElseThrow().challengeId()).isEqualTo("fresh");
    }

    @ParameterizedTest
    @EnumSource(
        names = {"VERIFICATION_FAILED", "MALFORMED_CREDENTIAL", "PAYMENT_REQUIRED", "UNKNOWN"})
    void twoDoesNotRepayAfterAnyOtherRejection(ProblemType type) throws IOException {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .then(rejected(type, challenge("fresh")));

      flow().maxPaymentAttempts(2).build().execute(get(URL), exchange);

      assertThat(payer.authorizeCalls()).isEqualTo(1);
      assertThat(exchange.scriptDone()).isTrue();
    }

    @Test
    void twoStopsAfterTheSecondAttempt() throws IOException {
      FakeResponse last = rejected(ProblemType.INVALID_CHALLENGE, challenge("c3"));
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .then(rejected(ProblemType.INVALID_CHALLENGE, challenge("c2")))
              .then(last);

      PaymentResult<FakeResponse> result =
          flow().maxPaymentAttempts(2).build().execute(get(URL), exchange);

      assertThat(payer.authorizeCalls()).isEqualTo(2);
      assertThat(result.response()).isSameAs(last);
      assertThat(result.problemDetails().orElseThrow().type())
          .isEqualTo(ProblemType.INVALID_CHALLENGE);
    }

    @Test
    void theDefaultIsOne() throws IOException {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .then(rejected(ProblemType.INVALID_CHALLENGE, challenge("c2")));

      flow().build().execute(get(URL), exchange);

      assertThat(payer.authorizeCalls()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 3, 10})
    void onlyOneOrTwoAreAllowed(int attempts) {
      assertThatThrownBy(() -> PaymentFlow.builder(payer).maxPaymentAttempts(attempts))
          .isInstanceOfSatisfying(
              ConfigurationException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
    }
  }

  @Nested
  class Transport {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "http://shop.invalid/x",
          "http://10.0.0.1/x",
          "http://127.0.0.1.invalid/x",
          "http://localhost.invalid/x",
          "http://[::2]/x",
          "http://0.0.0.0/x",
          "http://192.0.2.1/x",
          "http://[::ffff:127.0.0.1]/x",
          "ftp://127.0.0.1.invalid/x"
        })
    void refusesPlainHttpToNonLoopbackHosts(String url) {
      FakeExchange exchange = new FakeExchange(url).then(paymentRequired(challenge("c1")));

      PaymentRefusedException error =
          refusal(PaymentRefusedException.class, () -> flow().build().execute(get(url), exchange));

      assertThat(error.code()).isEqualTo(ErrorCode.INSECURE_TRANSPORT);
      assertThat(payer.authorizeCalls()).isZero();
      assertThat(exchange.requests()).hasSize(1);
    }

    @Test
    void allowInsecureHttpLiftsTheRuleForHttpOnly() throws IOException {
      String url = "http://shop.invalid/x";
      FakeExchange exchange =
          new FakeExchange(url).then(paymentRequired(challenge("c1"))).then(paid("r"));

      flow().allowInsecureHttp(true).build().execute(get(url), exchange);

      assertThat(payer.authorizeCalls()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "http://127.0.0.1/x",
          "http://127.0.0.1:8080/x",
          "http://127.10.20.30:1/x",
          "http://[::1]:8080/x",
          "http://[0:0:0:0:0:0:0:1]/x",
          "http://localhost:3000/x",
          "http://LOCALHOST/x",
          "http://api.localhost/x",
          "https://shop.invalid/x"
        })
    void allowsHttpsAndLoopbackHttp(String url) throws IOException {
      FakeExchange exchange =
          new FakeExchange(url).then(paymentRequired(challenge("c1"))).then(paid("r"));

      flow().build().execute(get(url), exchange);

      assertThat(payer.authorizeCalls()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({
      "https://127.0.0.1:8443/x, https://127.0.0.2:8443/x",
      "https://127.0.0.1:8443/x, https://127.0.0.1:8444/x",
      "https://127.0.0.1:443/x, http://127.0.0.1:443/x",
      "https://localhost/x, https://localhost.invalid/x",
      "http://127.0.0.1/x, http://[::1]/x"
    })
    void refusesAChallengeFromAnotherOriginThanTheRequest(String requestUrl, String responseUrl) {
      FakeExchange exchange =
          new FakeExchange(requestUrl)
              .then(paymentRequired(challenge("c1")).url(URI.create(responseUrl)));

      PaymentRefusedException error =
          refusal(
              PaymentRefusedException.class,
              () -> flow().build().execute(get(requestUrl), exchange));

      assertThat(error.code()).isEqualTo(ErrorCode.CROSS_ORIGIN);
      assertThat(payer.authorizeCalls()).isZero();
      assertThat(exchange.requests()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({
      "https://127.0.0.1/x, https://127.0.0.1:443/other?q=1",
      "HTTPS://LocalHost:8443/x, https://localhost:8443/y",
      "http://[::1]/x, http://[0:0:0:0:0:0:0:1]:80/z"
    })
    void sameOriginIsRecognisedAcrossSpellings(String requestUrl, String responseUrl)
        throws IOException {
      FakeExchange exchange =
          new FakeExchange(requestUrl)
              .then(paymentRequired(challenge("c1")).url(URI.create(responseUrl)))
              .then(paid("r"));

      flow().build().execute(get(requestUrl), exchange);

      assertThat(payer.authorizeCalls()).isEqualTo(1);
    }

    @Test
    void aResponseWithoutAUrlIsTreatedAsCrossOrigin() {
      FakeExchange exchange =
          new FakeExchange(URL).then(paymentRequired(challenge("c1")).urlUnknown());

      PaymentRefusedException error =
          refusal(PaymentRefusedException.class, () -> flow().build().execute(get(URL), exchange));

      assertThat(error.code()).isEqualTo(ErrorCode.CROSS_ORIGIN);
    }
  }

  @Nested
  class OutcomeUnknown {
    @Test
    void anIOExceptionAfterSendingMarksTheRecordUnknown() {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .thenFail(new IOException("connection reset"));

      PaymentOutcomeUnknownException error =
          refusal(
              PaymentOutcomeUnknownException.class,
              () -> flow().build().execute(get(URL), exchange));

      assertThat(error.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
      assertThat(error.record())
          .hasValueSatisfying(
              r -> {
                assertThat(r.state()).isEqualTo(PaymentState.UNKNOWN);
                assertThat(r.challengeId()).isEqualTo("c1");
              });
      assertThat(error.getCause()).isInstanceOf(IOException.class).hasMessage("connection reset");
      assertThat(payer.only().transitions())
          .containsExactly("unknown: transport failed after the credential was sent: IOException");
      assertThat(events).last().isEqualTo("unknown UNKNOWN");
    }

    @Test
    void aRuntimeFailureOfTheHttpLibraryAfterSigningIsUnknownToo() {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .then(
                  headers -> {
                    throw new IllegalStateException("client closed");
                  });

      PaymentOutcomeUnknownException error =
          refusal(
              PaymentOutcomeUnknownException.class,
              () -> flow().build().execute(get(URL), exchange));

      assertThat(error.record().orElseThrow().state()).isEqualTo(PaymentState.UNKNOWN);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 403, 400, 404, 302})
    void aNonSuccessOtherThan402IsUnknown(int status) throws IOException {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .then(
                  FakeResponse.status(status)
                      .body("{\"type\":\"" + ProblemType.BAD_REQUEST.uri() + "\"}"));

      PaymentResult<FakeResponse> result = flow().build().execute(get(URL), exchange);

      assertThat(payer.only().transitions())
          .containsExactly("unknown: HTTP " + status + " after the credential was sent");
      assertThat(result.response().status).isEqualTo(status);
      assertThat(result.paymentRecord().orElseThrow().state()).isEqualTo(PaymentState.UNKNOWN);
    }

    @Test
    void a5xxWithAValidReceiptIsPaid() throws IOException {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .then(FakeResponse.status(500).header("Payment-Receipt", receipt("0x5")));

      PaymentResult<FakeResponse> result = flow().build().execute(get(URL), exchange);

      assertThat(payer.only().transitions()).containsExactly("settle 500");
      assertThat(result.paymentRecord().orElseThrow().reference()).isEqualTo("0x5");
    }

    @Test
    void a5xxWithAnInvalidReceiptStaysUnknown() throws IOException {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .then(FakeResponse.status(500).header("Payment-Receipt", "e30"));

      flow().build().execute(get(URL), exchange);

      assertThat(payer.only().transitions()).singleElement().asString().startsWith("unknown");
    }
  }

  @Nested
  class Expiry {
    @Test
    void anExpiredChallengeIsRefusedWithTheInjectedClock() {
      FakeExchange exchange =
          new FakeExchange(URL).then(paymentRequired(challenge("c1", NOW.minusSeconds(60))));

      PaymentRefusedException error =
          refusal(PaymentRefusedException.class, () -> flow().build().execute(get(URL), exchange));

      assertThat(error.code()).isEqualTo(ErrorCode.CHALLENGE_EXPIRED);
      assertThat(payer.authorizeCalls()).isZero();
      assertThat(events).containsExactly("challenges 1/0", "failed CHALLENGE_EXPIRED");
    }

    @ParameterizedTest
    @CsvSource({
      // skew (ms), expires relative to the clock (ms), paid?
      "5000, 5000, false",
      "5000, 5001, true",
      "5000, 4999, false",
      "0, 0, false",
      "0, 1, true",
      "60000, 59999, false",
      "60000, 60001, true"
    })
    void theSkewMarginIsHonouredAtTheBoundary(long skewMillis, long expiresInMillis, boolean paid)
        throws IOException {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1", NOW.plusMillis(expiresInMillis))));
      if (paid) {
        exchange.then(paid("r"));
      }
      PaymentFlow flow = flow().clockSkew(Duration.ofMillis(skewMillis)).build();

      if (paid) {
        flow.execute(get(URL), exchange);
        assertThat(payer.authorizeCalls()).isEqualTo(1);
      } else {
        assertThat(
                refusal(PaymentRefusedException.class, () -> flow.execute(get(URL), exchange))
                    .code())
            .isEqualTo(ErrorCode.CHALLENGE_EXPIRED);
        assertThat(payer.authorizeCalls()).isZero();
      }
    }

    @Test
    void theDefaultSkewIsFiveSeconds() {
      FakeExchange exchange =
          new FakeExchange(URL).then(paymentRequired(challenge("c1", NOW.plusSeconds(5))));

      assertThat(
              refusal(
                      PaymentRefusedException.class,
                      () -> flow().build().execute(get(URL), exchange))
                  .code())
          .isEqualTo(ErrorCode.CHALLENGE_EXPIRED);
    }

    @Test
    void expiredOffersAreDroppedAndTheRestOffered() throws IOException {
      Challenge fresh = challenge("fresh");
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(
                  paymentRequired(
                      challenge("old", NOW.minusSeconds(1)), fresh, challenge("none", null)))
              .then(paid("r"));

      flow().build().execute(get(URL), exchange);

      assertThat(payer.offersSeen()).containsExactly(List.of(fresh, challenge("none", null)));
    }

    @Test
    void aNegativeSkewIsAConfigurationError() {
      assertThatThrownBy(() -> PaymentFlow.builder(payer).clockSkew(Duration.ofSeconds(-1)))
          .isInstanceOf(ConfigurationException.class);
    }
  }

  @Nested
  class BodyBinding {
    static final String BODY = "{\"amount\":\"1000\"}";

    Challenge withDigest(String digest) {
      return challenge("c1").toBuilder().digest(digest).build();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "sha-256=:Bxp4xJtbVfsB9npD5AEWUnIk76Cuv8Au4ECDA+F0biY=:",
          "sha-256=Bxp4xJtbVfsB9npD5AEWUnIk76Cuv8Au4ECDA+F0biY="
        })
    void aMatchingDigestIsPaid(String digest) throws IOException {
      FakeExchange exchange =
          new FakeExchange(URL).then(paymentRequired(withDigest(digest))).then(paid("r"));

      flow().build().execute(post(URL, BODY), exchange);

      assertThat(payer.authorizeCalls()).isEqualTo(1);
    }

    @Test
    void aMismatchedDigestIsRefused() {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(withDigest(BodyDigest.sha256(new byte[] {1}).toString())));

      PaymentRefusedException error =
          refusal(
              PaymentRefusedException.class,
              () -> flow().build().execute(post(URL, BODY), exchange));

      assertThat(error.code()).isEqualTo(ErrorCode.DIGEST_MISMATCH);
      assertThat(payer.authorizeCalls()).isZero();
    }

    @Test
    void aDigestCannotBeMatchedWhenTheBodyIsUnknown() {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(
                  paymentRequired(
                      withDigest(
                          BodyDigest.sha256(BODY.getBytes(StandardCharsets.UTF_8)).toString())));
      PaymentContext unknownBody =
          new PaymentContext(URI.create(URL), "POST", "agent-1", null, true, null);

      assertThat(
              refusal(
                      PaymentRefusedException.class,
                      () -> flow().build().execute(unknownBody, exchange))
                  .code())
          .isEqualTo(ErrorCode.DIGEST_MISMATCH);
    }

    @Test
    void aBodyThatCannotBeSentTwiceIsRefused() {
      FakeExchange exchange = new FakeExchange(URL).then(paymentRequired(challenge("c1")));
      PaymentContext streaming =
          new PaymentContext(URI.create(URL), "POST", "agent-1", null, false, null);

      PaymentRefusedException error =
          refusal(PaymentRefusedException.class, () -> flow().build().execute(streaming, exchange));

      assertThat(error.code()).isEqualTo(ErrorCode.BODY_NOT_REPLAYABLE);
      assertThat(payer.authorizeCalls()).isZero();
    }
  }

  @Nested
  class NoChallenge {
    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer realm=\"x\"", "Basic realm=\"x\", Bearer"})
    void a402WithoutPaymentChallengeIsRefused(String header) {
      FakeResponse response = FakeResponse.status(402);
      if (!header.isEmpty()) {
        response.header("WWW-Authenticate", header);
      }
      FakeExchange exchange = new FakeExchange(URL).then(response);

      PaymentRefusedException error =
          refusal(PaymentRefusedException.class, () -> flow().build().execute(get(URL), exchange));

      assertThat(error.code()).isEqualTo(ErrorCode.NO_PAYMENT_CHALLENGE);
      assertThat(response.discarded()).isTrue();
    }

    @Test
    void onlyInvalidChallengesAreRefusedWithTheFirstTypedReason() {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(
                  FakeResponse.status(402)
                      .header(
                          "WWW-Authenticate",
                          "Payment id=\"a\", realm=\"r\", method=\"tempo\", intent=\"charge\","
                              + " request=\"e30\", id=\"b\"")
                      .header("WWW-Authenticate", "Payment id=\"c\""));

      ProtocolException error =
          refusal(ProtocolException.class, () -> flow().build().execute(get(URL), exchange));

      assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_CHALLENGE);
      assertThat(error.getMessage()).contains("duplicate");
      assertThat(payer.authorizeCalls()).isZero();
    }
  }

  @Nested
  class ReturnUnpaidResponses {
    static List<Supplier<FakeExchange>> refusals() {
      return List.of(
          () -> new FakeExchange(URL).then(FakeResponse.status(402)),
          () -> new FakeExchange(URL).then(paymentRequired(challenge("c", NOW.minusSeconds(1)))),
          () ->
              new FakeExchange(URL)
                  .then(
                      paymentRequired(challenge("c"))
                          .url(URI.create("https://127.0.0.2:8443/resource"))),
          () ->
              new FakeExchange(URL)
                  .then(FakeResponse.status(402).header("WWW-Authenticate", "Payment x=")));
    }

    @Test
    void returnsThe402AsIsAndDiscardsNothing() throws IOException {
      PaymentFlow flow = flow().returnUnpaidResponses(true).build();
      for (Supplier<FakeExchange> scenario : refusals()) {
        FakeExchange exchange = scenario.get();

        PaymentResult<FakeResponse> result = flow.execute(get(URL), exchange);

        assertThat(result.response().status).isEqualTo(402);
        assertThat(result.response().discarded()).isFalse();
        assertThat(result.paymentRecord()).isEmpty();
        assertThat(exchange.requests()).hasSize(1);
      }
      assertThat(payer.authorizeCalls()).isZero();
      assertThat(events).filteredOn(e -> e.startsWith("failed")).hasSize(4);
    }

    @Test
    void alsoForPayerDenials() throws IOException {
      payer.failingWith(
          new PaymentDeniedException(
              ErrorCode.APPROVAL_DENIED, "agent:a/approval", null, null, null, null, "no"));
      FakeResponse response = paymentRequired(challenge("c1"));
      FakeExchange exchange = new FakeExchange(URL).then(response);

      PaymentResult<FakeResponse> result =
          flow().returnUnpaidResponses(true).build().execute(get(URL), exchange);

      assertThat(result.response()).isSameAs(response);
      assertThat(response.discarded()).isFalse();
    }

    @Test
    void byDefaultRefusalsThrowAndDiscardThe402() {
      PaymentFlow flow = flow().build();
      for (Supplier<FakeExchange> scenario : refusals()) {
        FakeExchange exchange = scenario.get();
        MppException error = refusal(MppException.class, () -> flow.execute(get(URL), exchange));
        assertThat(error).isNotNull();
      }
    }
  }

  @Nested
  class AcceptPaymentHeader {
    @Test
    void knownOriginsAdvertisesOnlyToOriginsThatChallengedBefore() throws IOException {
      PaymentFlow flow = flow().build();
      String other = "https://127.0.0.2:8443/resource";

      FakeExchange first =
          new FakeExchange(URL).then(paymentRequired(challenge("c1"))).then(paid("r"));
      flow.execute(get(URL), first);
      FakeExchange second = new FakeExchange(URL).then(FakeResponse.status(200));
      flow.execute(get(URL + "/other?x=1"), second);
      FakeExchange elsewhere = new FakeExchange(other).then(FakeResponse.status(200));
      flow.execute(get(other), elsewhere);

      assertThat(first.requests().get(0)).doesNotContainKey("Accept-Payment");
      assertThat(first.requests().get(1)).doesNotContainKey("Accept-Payment");
      assertThat(second.requests().get(0)).containsEntry("Accept-Payment", "tempo/charge, */*");
      assertThat(elsewhere.requests().get(0)).doesNotContainKey("Accept-Payment");
    }

    @Test
    void anOriginOnlyBecomesKnownThroughAValidChallenge() throws IOException {
      PaymentFlow flow = flow().returnUnpaidResponses(true).build();
      flow.execute(get(URL), new FakeExchange(URL).then(FakeResponse.status(402)));

      FakeExchange next = new FakeExchange(URL).then(FakeResponse.status(200));
      flow.execute(get(URL), next);

      assertThat(next.requests().get(0)).doesNotContainKey("Accept-Payment");
    }

    @Test
    void alwaysAndNever() throws IOException {
      FakeExchange always = new FakeExchange(URL).then(FakeResponse.status(200));
      flow().acceptPayment(PaymentFlow.AcceptPaymentMode.ALWAYS).build().execute(get(URL), always);
      assertThat(always.requests().get(0)).containsEntry("Accept-Payment", "tempo/charge, */*");

      PaymentFlow never = flow().acceptPayment(PaymentFlow.AcceptPaymentMode.NEVER).build();
      FakeExchange paidOnce =
          new FakeExchange(URL).then(paymentRequired(challenge("c1"))).then(paid("r"));
      never.execute(get(URL), paidOnce);
      FakeExchange after = new FakeExchange(URL).then(FakeResponse.status(200));
      never.execute(get(URL), after);
      assertThat(after.requests().get(0)).doesNotContainKey("Accept-Payment");
    }

    @Test
    void aPayerThatCannotListItsRangesDoesNotBlockTheRequest() throws IOException {
      payer.failingAcceptPayment(new IllegalStateException("no rails"));
      FakeExchange exchange = new FakeExchange(URL).then(FakeResponse.status(200));

      flow()
          .acceptPayment(PaymentFlow.AcceptPaymentMode.ALWAYS)
          .build()
          .execute(get(URL), exchange);

      assertThat(exchange.requests().get(0)).doesNotContainKey("Accept-Payment");
    }
  }

  @Nested
  class IdempotencyKey {
    /** Resends once after a transport failure, like a resilience4j retry would. */
    final TransportRetry retryOnce =
        new TransportRetry() {
          @Override
          public <R> R call(IoCall<R> call) throws IOException {
            try {
              return call.call();
            } catch (IOException first) {
              return call.call();
            }
          }

          @Override
          public <R> CompletableFuture<R> callAsync(Supplier<CompletableFuture<R>> call) {
            return call.get().exceptionallyCompose(e -> call.get());
          }
        };

    @Test
    void isAddedToPaidPostsAndReusedByTransportResends() throws IOException {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .thenFail(new IOException("reset"))
              .then(paid("r"));

      PaymentResult<FakeResponse> result =
          flow().transportRetry(retryOnce).build().execute(post(URL, "{}"), exchange);

      List<Map<String, String>> requests = exchange.requests();
      assertThat(requests).hasSize(3);
      assertThat(requests.get(0)).doesNotContainKey("Idempotency-Key");
      String key = requests.get(1).get("Idempotency-Key");
      assertThat(key).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
      assertThat(requests.get(2)).isEqualTo(requests.get(1));
      assertThat(payer.authorizeCalls()).isEqualTo(1);
      assertThat(result.paymentRecord().orElseThrow().state()).isEqualTo(PaymentState.PAID);
    }

    @Test
    void aFreshAttemptGetsAFreshKey() throws IOException {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .then(rejected(ProblemType.INVALID_CHALLENGE, challenge("c2")))
              .then(paid("r"));

      flow().maxPaymentAttempts(2).build().execute(post(URL, "{}"), exchange);

      assertThat(exchange.requests().get(1).get("Idempotency-Key"))
          .isNotNull()
          .isNotEqualTo(exchange.requests().get(2).get("Idempotency-Key"));
    }

    @Test
    void theCallersOwnKeyIsKeptAndResendsAreAllowed() throws IOException {
      PaymentContext keyed =
          new PaymentContext(URI.create(URL), "POST", "agent-1", new byte[0], true, "order-42");
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .thenFail(new IOException("reset"))
              .then(paid("r"));

      flow().transportRetry(retryOnce).build().execute(keyed, exchange);

      assertThat(exchange.requests()).hasSize(3);
      assertThat(exchange.requests().get(1)).doesNotContainKey("Idempotency-Key");
    }

    @Test
    void idempotentMethodsNeedNoKeyAndAreResent() throws IOException {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .thenFail(new IOException("reset"))
              .then(paid("r"));

      flow().transportRetry(retryOnce).build().execute(get(URL), exchange);

      assertThat(exchange.requests()).hasSize(3);
      assertThat(exchange.requests().get(2)).doesNotContainKey("Idempotency-Key");
      assertThat(exchange.requests().get(2).get("Authorization"))
          .isEqualTo(payer.only().authorizationHeader());
    }

    @Test
    void aRejectionOfAResendProvesNothingAboutTheLostFirstSend() throws IOException {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .thenFail(new IOException("reset"))
              .then(rejected(ProblemType.INVALID_CHALLENGE, challenge("c2")));

      PaymentResult<FakeResponse> result =
          flow()
              .transportRetry(retryOnce)
              .maxPaymentAttempts(2)
              .build()
              .execute(post(URL, "{}"), exchange);

      assertThat(payer.only().transitions())
          .containsExactly(
              "unknown: credential rejected with 402 "
                  + ProblemType.INVALID_CHALLENGE.uri()
                  + " after a transport resend");
      assertThat(result.paymentRecord().orElseThrow().state()).isEqualTo(PaymentState.UNKNOWN);
      assertThat(payer.authorizeCalls()).isEqualTo(1);
    }

    @Test
    void whenResendsAreExhaustedTheOutcomeIsUnknown() {
      FakeExchange exchange =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .thenFail(new IOException("reset"))
              .thenFail(new IOException("reset again"));

      PaymentOutcomeUnknownException error =
          refusal(
              PaymentOutcomeUnknownException.class,
              () -> flow().transportRetry(retryOnce).build().execute(post(URL, "{}"), exchange));

      assertThat(error.record().orElseThrow().state()).isEqualTo(PaymentState.UNKNOWN);
      assertThat(payer.only().transitions()).hasSize(1);
    }
  }

  @Nested
  class Listeners {
    final PaymentListener throwing =
        new PaymentListener() {
          @Override
          public void challengesReceived(PaymentContext context, Challenges challenges) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void offerChosen(PaymentContext context, Challenge chosen, String rationale) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void credentialCreated(PaymentContext context, Challenge challenge) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void paid(PaymentContext context, PaymentRecord record) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void rejected(PaymentContext context, PaymentRecord record, Problem problem) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void failed(PaymentContext context, MppException error) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void outcomeUnknown(PaymentContext context, PaymentRecord record) {
            throw new IllegalStateException("listener bug");
          }
        };

    @Test
    void exceptionsInListenersDoNotChangeOutcomes() throws IOException {
      PaymentFlow flow =
          PaymentFlow.builder(payer).clock(Fixtures.clock()).listener(throwing).build();

      PaymentResult<FakeResponse> paidResult =
          flow.execute(
              get(URL),
              new FakeExchange(URL).then(paymentRequired(challenge("c1"))).then(paid("r")));
      PaymentResult<FakeResponse> rejectedResult =
          flow.execute(
              get(URL),
              new FakeExchange(URL)
                  .then(paymentRequired(challenge("c2")))
                  .then(rejected(ProblemType.VERIFICATION_FAILED, challenge("c3"))));
      PaymentRefusedException refused =
          refusal(
              PaymentRefusedException.class,
              () ->
                  flow.execute(
                      get(URL),
                      new FakeExchange(URL)
                          .then(paymentRequired(challenge("old", NOW.minusSeconds(9))))));
      PaymentOutcomeUnknownException unknown =
          refusal(
              PaymentOutcomeUnknownException.class,
              () ->
                  flow.execute(
                      get(URL),
                      new FakeExchange(URL)
                          .then(paymentRequired(challenge("c4")))
                          .thenFail(new IOException("reset"))));

      assertThat(paidResult.paymentRecord().orElseThrow().state()).isEqualTo(PaymentState.PAID);
      assertThat(rejectedResult.paymentRecord().orElseThrow().state())
          .isEqualTo(PaymentState.UNKNOWN);
      assertThat(refused.code()).isEqualTo(ErrorCode.CHALLENGE_EXPIRED);
      assertThat(unknown.record().orElseThrow().state()).isEqualTo(PaymentState.UNKNOWN);
      assertThat(payer.authorizeCalls()).isEqualTo(3);
    }
  }

  @Nested
  class Secrets {
    @Test
    void noExceptionMessageOrToStringContainsTheCredential() throws IOException {
      List<Object> seen = new ArrayList<>();
      List<String> credentials = new ArrayList<>();

      // Transport failure whose message echoes the credential, as some HTTP libraries do.
      FakeExchange echoing =
          new FakeExchange(URL)
              .then(paymentRequired(challenge("c1")))
              .then(
                  headers -> {
                    throw new IOException(
                        "bad header value: " + headers.get("Authorization"),
                        new IllegalArgumentException(headers.get("Authorization").substring(20)));
                  });
      PaymentOutcomeUnknownException unknown =
          refusal(
              PaymentOutcomeUnknownException.class,
              () -> flow().build().execute(get(URL), echoing));
      seen.add(unknown);
      credentials.add(payer.authorizations().get(0).authorizationHeader());

      payer.rewritingHeader(h -> h + "\r\nX: y");
      ProtocolException unsafe =
          refusal(
              ProtocolException.class,
              () ->
                  flow()
                      .build()
                      .execute(
                          get(URL), new FakeExchange(URL).then(paymentRequired(challenge("c2")))));
      seen.add(unsafe);
      credentials.add(payer.authorizations().get(1).authorizationHeader());
      payer.rewritingHeader(h -> h);

      PaymentResult<FakeResponse> rejectedResult =
          flow()
              .build()
              .execute(
                  get(URL),
                  new FakeExchange(URL)
                      .then(paymentRequired(challenge("c3")))
                      .then(rejected(ProblemType.INVALID_CHALLENGE, challenge("c4"))));
      seen.add(rejectedResult);
      seen.add(rejectedResult.record());
      credentials.add(payer.authorizations().get(2).authorizationHeader());
      seen.addAll(payer.authorizations());

      assertThat(credentials).hasSize(3);
      for (Object o : seen) {
        List<String> texts = new ArrayList<>();
        texts.add(o.toString());
        for (Throwable t = o instanceof Throwable th ? th : null; t != null; t = t.getCause()) {
          texts.add(t.toString());
          texts.add(String.valueOf(t.getMessage()));
          java.io.StringWriter trace = new java.io.StringWriter();
          t.printStackTrace(new java.io.PrintWriter(trace));
          texts.add(trace.toString());
        }
        for (String text : texts) {
          for (String credential : credentials) {
            String token = credential.substring("Payment ".length(), "Payment ".length() + 60);
            assertThat(text).doesNotContain(token);
          }
        }
      }
      assertThat(unknown.getCause().getMessage()).contains("message withheld");
      assertThat(unknown.getCause().getStackTrace()).isNotEmpty();
    }

    @Test
    void aTransportFailureThatDoesNotQuoteTheCredentialIsKeptAsIs() {
      IOException reset = new IOException("connection reset by peer");
      FakeExchange exchange =
          new FakeExchange(URL).then(paymentRequired(challenge("c1"))).thenFail(reset);

      PaymentOutcomeUnknownException error =
          refusal(
              PaymentOutcomeUnknownException.class,
              () -> flow().build().execute(get(URL), exchange));

      assertThat(error.getCause()).isSameAs(reset);
    }
  }
}
