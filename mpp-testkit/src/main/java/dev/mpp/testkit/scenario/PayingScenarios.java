package dev.mpp.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentFlow.AcceptPaymentMode;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.BodyDigest;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.ProblemType;
import dev.mpp.client.wire.Receipt;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scenarios 1 to 4: what an adapter passes through untouched, what it pays and how (one retry, the
 * same body, the cheapest offer), and how a policy denial reaches the caller.
 */
public abstract class PayingScenarios extends ScenarioHarness {
  // 1. A response other than 402 is returned untouched and nothing is recorded.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void responseWithoutPaymentRequiredIsUntouched(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    server.enqueue(
        new MockResponse.Builder().code(200).setHeader("X-Plain", "yes").body("free").build());

    HttpReply reply = run(client, HttpCall.get(url("/free")), mode);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("free");
    assertThat(reply.header("X-Plain")).contains("yes");
    assertThat(reply.record()).isEmpty();
    assertThat(reply.problem()).isEmpty();
    RecordedRequest request = requests(server).get(0);
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(request.getHeaders().get("Authorization")).isNull();
    assertThat(request.getHeaders().get("Accept-Payment")).isNull();
    assertThat(payer.authorizeCalls()).isZero();
    assertThat(payer.records()).isEmpty();
    client.assertNoLeaks();
  }

  // 2. One payable challenge: one retry echoing it byte for byte; the receipt is committed.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void payableChallengeIsPaidOnceAndTheReceiptIsReturned(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    // Unusual but valid spellings that a re-encoding client would change: padded base64url of
    // non-canonical JSON, an offset timestamp with millis, an escaped quote.
    String request =
        Base64.getUrlEncoder()
            .encodeToString(
                "{\"currency\":\"usd\",\"amount\":\"25\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(request).endsWith("=");
    Challenge challenge =
        Challenge.builder()
            .id("ch-echo-1")
            .realm(Paywall.REALM)
            .method("test")
            .intent("charge")
            .request(request)
            .expires("2099-12-31T23:59:59.000+00:00")
            .description("a \"quoted\" thing")
            .opaque("b3BhcXVlLWRhdGE")
            .build();
    server.enqueue(Paywall.paymentRequired(challenge));
    server.enqueue(Paywall.paid("the goods", "ref-echo-1", challenge.id()));

    HttpReply reply = run(client, HttpCall.get(url("/goods")), mode);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("the goods");
    PaymentRecord record = reply.record().orElseThrow();
    assertThat(record.state()).isEqualTo(PaymentState.PAID);
    assertThat(record.reference()).isEqualTo("ref-echo-1");
    assertThat(record.receipt().map(Receipt::reference)).contains("ref-echo-1");
    assertThat(record.challengeId()).isEqualTo("ch-echo-1");
    assertThat(record.method()).isEqualTo("test");
    assertThat(record.amount()).hasToString("25");
    assertThat(record.usd()).isEqualByComparingTo(new BigDecimal("0.25"));
    assertThat(record.rationale()).isNotBlank();
    assertThat(payer.records(PaymentState.PAID))
        .extracting(PaymentRecord::id)
        .containsExactly(record.id());
    assertThat(payer.signed()).isEqualTo(1);

    List<RecordedRequest> sent = requests(server);
    assertThat(sent).hasSize(2);
    assertThat(authorization(sent.get(0))).isNull();
    assertThat(sent.get(1).getTarget()).isEqualTo("/goods");
    assertThat(sent.get(1).getMethod()).isEqualTo("GET");
    assertThat(Paywall.isValidCredential(authorization(sent.get(1)), challenge)).isTrue();
    assertThat(
            Credential.parse(authorization(sent.get(1)))
                .toJson()
                .get("challenge")
                .get("request")
                .textValue())
        .isEqualTo(request);

    // The origin is now known to take payments: first attempts advertise Accept-Payment.
    server.enqueue(new MockResponse.Builder().code(200).body("again").build());
    run(client, HttpCall.get(url("/again")), mode);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Accept-Payment"))
        .isEqualTo("test/charge");
    client.assertNoLeaks();
  }

  // 2b. A replayable body is sent again unchanged, digest-bound, with an Idempotency-Key.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void paidRetryResendsTheSameBodyMatchingTheChallengeDigest(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    String body = "{\"query\":\"weather in Lisbon\"}";
    Challenge challenge =
        Paywall.charge("ch-digest", "test", "charge", "40", "usd")
            .digest(BodyDigest.sha256(body.getBytes(StandardCharsets.UTF_8)).toString())
            .build();
    server.enqueue(Paywall.paymentRequired(challenge));
    server.enqueue(Paywall.paid("answer", "ref-digest", challenge.id()));

    HttpReply reply = run(client, HttpCall.withBody("POST", url("/ask"), body), mode);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.record().map(PaymentRecord::state)).contains(PaymentState.PAID);
    List<RecordedRequest> sent = requests(server);
    assertThat(sent).extracting(r -> r.getBody().utf8()).containsExactly(body, body);
    assertThat(sent.get(0).getHeaders().get("Idempotency-Key")).isNull();
    assertThat(sent.get(1).getHeaders().get("Idempotency-Key")).isNotBlank();
    assertThat(Paywall.isValidCredential(authorization(sent.get(1)), challenge)).isTrue();
  }

  // Accept-Payment on first attempts per policy.
  @Test
  void acceptPaymentIsAdvertisedOnFirstAttemptsWhenConfigured() throws Exception {
    AdapterDriver.Client client =
        client(ClientOptions.of(FakePayer.unlimited()).acceptPayment(AcceptPaymentMode.ALWAYS));
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());

    run(client, HttpCall.get(url("/first")), Mode.SYNC);

    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Accept-Payment"))
        .isEqualTo("test/charge");
  }

  // 3. Several fields, one malformed challenge, other schemes and unpayable offers.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void cheapestPayableOfferAcrossHeaderFieldsIsPaid(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    Challenge expensive = Paywall.charge("c-expensive", 500);
    Challenge cheap = Paywall.charge("c-cheap", 120);
    Challenge middle = Paywall.charge("c-middle", 300);
    Challenge otherMethod =
        Paywall.charge("c-lightning", "lightning", "charge", "1", "usd").build();
    Challenge unpriced = Paywall.charge("c-eur", "test", "charge", "2", "eur").build();
    server.enqueue(
        new MockResponse.Builder()
            .code(402)
            .addHeader(
                "WWW-Authenticate",
                expensive.toHeaderValue() + ", Payment id=\"broken\", realm=\"x\"")
            .addHeader("WWW-Authenticate", "Basic realm=\"legacy\"")
            .addHeader(
                "WWW-Authenticate", otherMethod.toHeaderValue() + ", " + cheap.toHeaderValue())
            .addHeader("WWW-Authenticate", unpriced.toHeaderValue())
            .addHeader("WWW-Authenticate", middle.toHeaderValue())
            .body("")
            .build());
    server.enqueue(Paywall.paid("cheap goods", "ref-cheap", cheap.id()));

    HttpReply reply = run(client, HttpCall.get(url("/offers")), mode);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.record().map(PaymentRecord::challengeId)).contains("c-cheap");
    assertThat(reply.record().map(PaymentRecord::amount).map(Object::toString)).contains("120");
    List<RecordedRequest> sent = requests(server);
    assertThat(sent).hasSize(2);
    assertThat(Paywall.isValidCredential(authorization(sent.get(1)), cheap)).isTrue();
    assertThat(payer.signed()).isEqualTo(1);
  }

  // 4. Policy denial: typed error, nothing signed, nothing sent after the 402.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void policyDenialIsTypedAndNothingIsSignedOrSent(Mode mode) throws Exception {
    FakePayer payer = FakePayer.withBudgetCents(10);
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    server.enqueue(Paywall.paymentRequired(Paywall.charge("ch-deny", PRICE_CENTS)));

    MppException error = failure(client, HttpCall.get(url("/denied")), mode);

    assertThat(error).isInstanceOf(PaymentDeniedException.class);
    assertThat(error.code()).isEqualTo(ErrorCode.POLICY_DENIED);
    PaymentDeniedException denied = (PaymentDeniedException) error;
    assertThat(denied.amount()).contains(new BigDecimal("0.25"));
    assertThat(denied.remaining()).contains(new BigDecimal("0.10"));
    assertThat(payer.signed()).isZero();
    assertThat(payer.records()).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(1);
    client.assertNoLeaks();
  }

  // 4b. ... or the 402 as is, readable, when configured.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void policyDenialCanReturnThePaymentRequiredResponseAsIs(Mode mode) throws Exception {
    FakePayer payer = FakePayer.withBudgetCents(10);
    AdapterDriver.Client client = client(ClientOptions.of(payer).returnUnpaidResponses(true));
    server.enqueue(Paywall.paymentRequired(Paywall.charge("ch-deny", PRICE_CENTS)));

    HttpReply reply = run(client, HttpCall.get(url("/denied")), mode);

    assertThat(reply.status()).isEqualTo(402);
    assertThat(reply.body()).contains(ProblemType.PAYMENT_REQUIRED.uri());
    assertThat(reply.header("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).contains("ch-deny"));
    assertThat(reply.record()).isEmpty();
    assertThat(payer.signed()).isZero();
    assertThat(server.getRequestCount()).isEqualTo(1);
    client.assertNoLeaks();
  }
}
