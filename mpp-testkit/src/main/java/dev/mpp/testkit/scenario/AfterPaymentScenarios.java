package dev.mpp.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.MppException;
import dev.mpp.client.PaymentOutcomeUnknownException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.ProblemType;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenarios 5 to 7: what happens after the credential went out: a second 402, a broken connection
 * or a timeout (outcome unknown), transport resends of the same credential, and server errors.
 */
public abstract class AfterPaymentScenarios extends PayingScenarios {
  static Stream<Arguments> rejections() {
    List<Arguments> cases = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      cases.add(
          Arguments.of(mode, ProblemType.VERIFICATION_FAILED, PaymentState.UNKNOWN, PRICE_CENTS));
      cases.add(Arguments.of(mode, ProblemType.INVALID_CHALLENGE, PaymentState.RELEASED, 0));
      cases.add(
          Arguments.of(mode, ProblemType.PAYMENT_INSUFFICIENT, PaymentState.UNKNOWN, PRICE_CENTS));
    }
    return cases.stream();
  }

  // 5. A second 402 after paying is reported with its problem, never paid again.
  @ParameterizedTest
  @MethodSource("rejections")
  void secondPaymentRequiredAfterPayingIsReportedNotPaid(
      Mode mode, ProblemType type, PaymentState expected, long spentCents) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    Challenge first = Paywall.charge("ch-first", PRICE_CENTS);
    server.enqueue(Paywall.paymentRequired(first));
    // A fresh challenge tempts a naive client to pay again.
    server.enqueue(
        Paywall.problem(402, type, "rejected")
            .addHeader("WWW-Authenticate", Paywall.charge("ch-second", PRICE_CENTS).toHeaderValue())
            .build());

    HttpReply reply = run(client, HttpCall.get(url("/twice")), mode);

    assertThat(reply.status()).isEqualTo(402);
    assertThat(reply.body()).contains(type.uri());
    assertThat(reply.problem().map(p -> p.type())).contains(type);
    PaymentRecord record = reply.record().orElseThrow();
    assertThat(record.state()).isEqualTo(expected);
    assertThat(record.challengeId()).isEqualTo("ch-first");
    assertThat(payer.signed()).isEqualTo(1);
    assertThat(payer.spentCents()).isEqualTo(spentCents);
    assertThat(server.getRequestCount()).isEqualTo(2);
    client.assertNoLeaks();
  }

  // 6. The connection breaks after the credential went out: unknown, never paid again.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void connectionResetAfterSendingTheCredentialLeavesTheOutcomeUnknown(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    server.enqueue(Paywall.paymentRequired(Paywall.charge("ch-reset", PRICE_CENTS)));
    server.enqueue(reset());
    server.enqueue(Paywall.paid("must not be reached", "ref-late", "ch-reset"));

    MppException error = failure(client, HttpCall.withBody("POST", url("/reset"), "order"), mode);

    assertThat(error).isInstanceOf(PaymentOutcomeUnknownException.class);
    PaymentRecord record = ((PaymentOutcomeUnknownException) error).record().orElseThrow();
    assertThat(record.state()).isEqualTo(PaymentState.UNKNOWN);
    assertThat(payer.records(PaymentState.UNKNOWN)).hasSize(1);
    assertThat(payer.spentCents()).isEqualTo(PRICE_CENTS);
    assertThat(payer.signed()).isEqualTo(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  // 6b. A timeout after sending is just as unknown.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void timeoutAfterSendingTheCredentialLeavesTheOutcomeUnknown(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer).timeout(Duration.ofMillis(300)));
    server.enqueue(Paywall.paymentRequired(Paywall.charge("ch-slow", PRICE_CENTS)));
    server.enqueue(
        new MockResponse.Builder()
            .headersDelay(3, TimeUnit.SECONDS)
            .setHeader("Payment-Receipt", Paywall.receipt("ref-slow", "ch-slow"))
            .body("too late")
            .build());

    MppException error = failure(client, HttpCall.get(url("/slow")), mode);

    assertThat(error).isInstanceOf(PaymentOutcomeUnknownException.class);
    assertThat(payer.records(PaymentState.UNKNOWN)).hasSize(1);
    assertThat(payer.signed()).isEqualTo(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  static Stream<Arguments> retriedMethods() {
    List<Arguments> cases = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      cases.add(Arguments.of(mode, "GET"));
      cases.add(Arguments.of(mode, "POST"));
    }
    return cases.stream();
  }

  // 6c. A configured transport retry resends the same credential, with the same Idempotency-Key.
  @ParameterizedTest
  @MethodSource("retriedMethods")
  void transportRetryResendsTheSameCredential(Mode mode, String method) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    Retry retry =
        Retry.of(
            "paid-attempt",
            RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(10)).build());
    AdapterDriver.Client client = client(ClientOptions.of(payer).transportRetry(retry));
    Challenge challenge = Paywall.charge("ch-retry", PRICE_CENTS);
    server.enqueue(Paywall.paymentRequired(challenge));
    server.enqueue(reset());
    server.enqueue(Paywall.paid("finally", "ref-retry", challenge.id()));
    HttpCall call =
        method.equals("GET")
            ? HttpCall.get(url("/retry"))
            : HttpCall.withBody(method, url("/retry"), "order-7");

    HttpReply reply = run(client, call, mode);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.record().map(PaymentRecord::state)).contains(PaymentState.PAID);
    assertThat(payer.signed()).isEqualTo(1);
    List<RecordedRequest> sent = requests(server);
    assertThat(sent).hasSize(3);
    assertThat(authorization(sent.get(1))).isNotNull().isEqualTo(authorization(sent.get(2)));
    assertThat(Paywall.isValidCredential(authorization(sent.get(2)), challenge)).isTrue();
    String key = sent.get(1).getHeaders().get("Idempotency-Key");
    if (method.equals("POST")) {
      assertThat(key).isNotBlank();
      assertThat(sent.get(2).getHeaders().get("Idempotency-Key")).isEqualTo(key);
      assertThat(sent.get(2).getBody().utf8()).isEqualTo("order-7");
    } else {
      assertThat(key).isNull();
    }
  }

  // 6d. A rejection of a resent credential proves nothing: the lost first send may have settled.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void rejectionOfAResentCredentialKeepsThePaymentCounted(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    Retry retry =
        Retry.of(
            "paid-attempt",
            RetryConfig.custom().maxAttempts(2).waitDuration(Duration.ofMillis(10)).build());
    AdapterDriver.Client client = client(ClientOptions.of(payer).transportRetry(retry));
    server.enqueue(Paywall.paymentRequired(Paywall.charge("ch-spent", PRICE_CENTS)));
    server.enqueue(reset());
    server.enqueue(Paywall.problem(402, ProblemType.INVALID_CHALLENGE, "already used").build());

    HttpReply reply = run(client, HttpCall.withBody("POST", url("/spent"), "order-8"), mode);

    assertThat(reply.status()).isEqualTo(402);
    assertThat(reply.record().map(PaymentRecord::state)).contains(PaymentState.UNKNOWN);
    assertThat(payer.spentCents()).isEqualTo(PRICE_CENTS);
    assertThat(payer.signed()).isEqualTo(1);
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  // 7. A 5xx after paying keeps whatever receipt state the server gave, and is never repaid.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void serverErrorAfterPayingIsReportedWithTheReceiptStateGiven(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    server.enqueue(Paywall.paymentRequired(Paywall.charge("ch-5xx-receipt", PRICE_CENTS)));
    server.enqueue(
        new MockResponse.Builder()
            .code(503)
            .setHeader("Payment-Receipt", Paywall.receipt("ref-5xx", "ch-5xx-receipt"))
            .body("settled but down")
            .build());
    server.enqueue(Paywall.paymentRequired(Paywall.charge("ch-5xx-none", PRICE_CENTS)));
    server.enqueue(new MockResponse.Builder().code(500).body("broken").build());

    HttpReply settled = run(client, HttpCall.get(url("/a")), mode);
    HttpReply unknown = run(client, HttpCall.get(url("/b")), mode);

    assertThat(settled.status()).isEqualTo(503);
    assertThat(settled.body()).isEqualTo("settled but down");
    assertThat(settled.record().map(PaymentRecord::state)).contains(PaymentState.PAID);
    assertThat(settled.record().map(PaymentRecord::reference)).contains("ref-5xx");
    assertThat(unknown.status()).isEqualTo(500);
    assertThat(unknown.record().map(PaymentRecord::state)).contains(PaymentState.UNKNOWN);
    assertThat(payer.signed()).isEqualTo(2);
    assertThat(server.getRequestCount()).isEqualTo(4);
    client.assertNoLeaks();
  }
}
