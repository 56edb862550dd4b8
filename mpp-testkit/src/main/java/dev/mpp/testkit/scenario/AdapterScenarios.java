package dev.mpp.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentFlow.AcceptPaymentMode;
import dev.mpp.client.PaymentOutcomeUnknownException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.BodyDigest;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.ProblemType;
import dev.mpp.client.wire.Receipt;
import dev.mpp.wallet.Budget;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.HmacTestRail;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every HTTP adapter must show, run against a loopback {@link MockWebServer}.
 * Subclass it in the adapter's tests and return a driver from {@link #driver()}; every scenario
 * runs synchronously and asynchronously where the difference matters.
 */
public abstract class AdapterScenarios {
  /** Sync ({@code execute}, {@code send}) or async ({@code enqueue}, {@code sendAsync}). */
  public enum Mode {
    /** On the calling thread. */
    SYNC,
    /** Through the library's asynchronous API. */
    ASYNC
  }

  private static final int PRICE_CENTS = 25;

  /** The primary server: the origin that issues challenges. */
  protected MockWebServer server;

  private final List<AdapterDriver.Client> clients = new ArrayList<>();

  /** The adapter under test. */
  protected abstract AdapterDriver driver();

  /**
   * A real wallet (in-memory ledger, HMAC test rail with {@link FakePayer#SECRET}) whose agent may
   * spend {@code budgetCents} a day.
   */
  protected static Wallet wallet(long budgetCents) {
    return Wallet.builder()
        .ledger(new InMemoryLedgerStore())
        .rail(HmacTestRail.of(FakePayer.SECRET))
        .agent(
            ClientOptions.DEFAULT_AGENT,
            Policy.builder()
                .cap(Window.DAY, BigDecimal.valueOf(budgetCents, 2).toPlainString())
                .build())
        .build();
  }

  @BeforeEach
  void startServer() throws IOException {
    server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopServer() {
    clients.forEach(AdapterDriver.Client::close);
    server.close();
  }

  /** Builds a client that the suite closes after the test. */
  protected AdapterDriver.Client client(ClientOptions options) {
    AdapterDriver.Client client = driver().client(options);
    clients.add(client);
    return client;
  }

  /** A URL on the primary server. */
  protected URI url(String path) {
    return server.url(path).uri();
  }

  /** Runs {@code call} in {@code mode}, returning the reply or throwing what the library threw. */
  protected static HttpReply run(AdapterDriver.Client client, HttpCall call, Mode mode)
      throws Exception {
    if (mode == Mode.SYNC) {
      return client.execute(call);
    }
    try {
      return client.executeAsync(call).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** The typed payment error somewhere in {@code thrown}'s cause chain. */
  protected static MppException mppError(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof MppException mpp) {
        return mpp;
      }
    }
    return fail("expected a typed MppException in the cause chain of " + thrown, thrown);
  }

  private static MppException failure(AdapterDriver.Client client, HttpCall call, Mode mode) {
    Throwable thrown = catchThrowable(() -> run(client, call, mode));
    assertThat(thrown).as("the call must fail").isNotNull();
    return mppError(thrown);
  }

  private List<RecordedRequest> requests(MockWebServer on) throws InterruptedException {
    List<RecordedRequest> all = new ArrayList<>();
    int count = on.getRequestCount();
    for (int i = 0; i < count; i++) {
      all.add(on.takeRequest(5, TimeUnit.SECONDS));
    }
    return all;
  }

  private static String authorization(RecordedRequest request) {
    return request.getHeaders().get("Authorization");
  }

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

  private static MockResponse reset() {
    return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
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

  // 8. Plain http to a non-loopback host: refused unless opted in. The host name only ever
  // reaches the loopback server, which acts as the HTTP proxy.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void insecureHttpToANonLoopbackHostIsRefused(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer).proxy(address()));
    server.enqueue(Paywall.paymentRequired(Paywall.charge("ch-plain", PRICE_CENTS)));

    MppException error =
        failure(client, HttpCall.get(URI.create("http://paid.example/report")), mode);

    assertThat(error.code()).isEqualTo(ErrorCode.INSECURE_TRANSPORT);
    assertThat(payer.signed()).isZero();
    assertThat(server.getRequestCount()).isEqualTo(1);
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getUrl().host()).isEqualTo("paid.example");
    assertThat(authorization(request)).isNull();
    client.assertNoLeaks();
  }

  // 8b. ... and paid when the user opted in.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void insecureHttpIsPaidWhenOptedIn(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client =
        client(ClientOptions.of(payer).proxy(address()).allowInsecureHttp(true));
    Challenge challenge = Paywall.charge("ch-optin", PRICE_CENTS);
    server.enqueue(Paywall.paymentRequired(challenge));
    server.enqueue(Paywall.paid("report", "ref-optin", challenge.id()));

    HttpReply reply = run(client, HttpCall.get(URI.create("http://paid.example/report")), mode);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.record().map(PaymentRecord::state)).contains(PaymentState.PAID);
    List<RecordedRequest> sent = requests(server);
    assertThat(sent.get(1).getUrl().host()).isEqualTo("paid.example");
    assertThat(Paywall.isValidCredential(authorization(sent.get(1)), challenge)).isTrue();
  }

  private java.net.InetSocketAddress address() {
    return new java.net.InetSocketAddress(server.getHostName(), server.getPort());
  }

  // 9. A redirect of the paid attempt to another origin never carries the credential.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void crossOriginRedirectAfterPayingNeverCarriesTheCredential(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    try (MockWebServer other = new MockWebServer()) {
      other.start(InetAddress.getByName("127.0.0.1"), 0);
      Challenge challenge = Paywall.charge("ch-redirect", PRICE_CENTS);
      server.enqueue(Paywall.paymentRequired(challenge));
      server.enqueue(
          new MockResponse.Builder()
              .code(302)
              .setHeader("Location", other.url("/landing").toString())
              .setHeader("Payment-Receipt", Paywall.receipt("ref-redirect", challenge.id()))
              .build());
      other.enqueue(new MockResponse.Builder().code(200).body("landed").build());

      HttpReply reply = run(client, HttpCall.get(url("/download")), mode);

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo("landed");
      assertThat(reply.url().getPort()).isEqualTo(other.getPort());
      assertThat(other.getRequestCount()).isEqualTo(1);
      RecordedRequest landed = other.takeRequest(5, TimeUnit.SECONDS);
      assertThat(authorization(landed)).isNull();
      List<RecordedRequest> sent = requests(server);
      assertThat(sent).hasSize(2);
      assertThat(Paywall.isValidCredential(authorization(sent.get(1)), challenge)).isTrue();
      assertThat(payer.signed()).isEqualTo(1);
      // The receipt came with the redirect, not with the content.
      assertThat(reply.record().map(PaymentRecord::state)).contains(PaymentState.PAID);
      assertThat(reply.record().map(PaymentRecord::reference)).contains("ref-redirect");
    }
  }

  // 9b. A same-origin redirect keeps the credential (the issuer may see it again).
  @ParameterizedTest
  @EnumSource(Mode.class)
  void sameOriginRedirectAfterPayingIsFollowed(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    Challenge challenge = Paywall.charge("ch-same", PRICE_CENTS);
    server.enqueue(Paywall.paymentRequired(challenge));
    server.enqueue(new MockResponse.Builder().code(307).setHeader("Location", "/moved").build());
    server.enqueue(Paywall.paid("moved goods", "ref-same", challenge.id()));

    HttpReply reply = run(client, HttpCall.get(url("/original")), mode);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("moved goods");
    assertThat(reply.record().map(PaymentRecord::reference)).contains("ref-same");
    List<RecordedRequest> sent = requests(server);
    assertThat(sent)
        .extracting(RecordedRequest::getTarget)
        .containsExactly("/original", "/original", "/moved");
    assertThat(authorization(sent.get(2))).isEqualTo(authorization(sent.get(1)));
    assertThat(payer.signed()).isEqualTo(1);
  }

  // 9c. A 402 from another origin than the one asked is not paid.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void paymentRequiredFromARedirectedOriginIsRefused(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    try (MockWebServer other = new MockWebServer()) {
      other.start(InetAddress.getByName("127.0.0.1"), 0);
      server.enqueue(
          new MockResponse.Builder()
              .code(302)
              .setHeader("Location", other.url("/elsewhere").toString())
              .build());
      other.enqueue(Paywall.paymentRequired(Paywall.charge("ch-elsewhere", PRICE_CENTS)));

      MppException error = failure(client, HttpCall.get(url("/start")), mode);

      assertThat(error.code()).isEqualTo(ErrorCode.CROSS_ORIGIN);
      assertThat(payer.signed()).isZero();
      assertThat(other.getRequestCount()).isEqualTo(1);
      client.assertNoLeaks();
    }
  }

  enum Refusal {
    EXPIRED(ErrorCode.CHALLENGE_EXPIRED),
    DIGEST_MISMATCH(ErrorCode.DIGEST_MISMATCH),
    UNKNOWN_METHOD(ErrorCode.NO_PAYABLE_OFFER),
    UNKNOWN_INTENT(ErrorCode.NO_PAYABLE_OFFER),
    UNPRICED_CURRENCY(ErrorCode.NO_PAYABLE_OFFER),
    UNREPLAYABLE_BODY(ErrorCode.BODY_NOT_REPLAYABLE);

    final ErrorCode code;

    Refusal(ErrorCode code) {
      this.code = code;
    }
  }

  static Stream<Arguments> refusals() {
    List<Arguments> cases = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (Refusal refusal : Refusal.values()) {
        cases.add(Arguments.of(mode, refusal));
      }
    }
    return cases.stream();
  }

  // 10. Offers that must not be paid give typed errors and no payment.
  @ParameterizedTest
  @MethodSource("refusals")
  void unpayableOffersAreRefusedWithTypedErrors(Mode mode, Refusal refusal) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    ClientOptions options = ClientOptions.of(payer);
    String body = "x".repeat(1024);
    HttpCall call = HttpCall.withBody("POST", url("/refuse"), body);
    Challenge challenge =
        switch (refusal) {
          case EXPIRED ->
              Paywall.charge("ch-old", "test", "charge", "5", "usd")
                  .expires("2020-01-01T00:00:00Z")
                  .build();
          case DIGEST_MISMATCH ->
              Paywall.charge("ch-digest", "test", "charge", "5", "usd")
                  .digest(
                      BodyDigest.sha256("another body".getBytes(StandardCharsets.UTF_8)).toString())
                  .build();
          case UNKNOWN_METHOD -> Paywall.charge("ch-ln", "lightning", "charge", "5", "usd").build();
          case UNKNOWN_INTENT -> Paywall.charge("ch-sess", "test", "session", "5", "usd").build();
          case UNPRICED_CURRENCY -> Paywall.charge("ch-eur", "test", "charge", "5", "eur").build();
          case UNREPLAYABLE_BODY -> Paywall.charge("ch-stream", 5);
        };
    if (refusal == Refusal.UNREPLAYABLE_BODY) {
      call = call.asStream();
      options = options.maxBufferedBody(16);
    }
    AdapterDriver.Client client = client(options);
    server.enqueue(Paywall.paymentRequired(challenge));

    MppException error = failure(client, call, mode);

    assertThat(error.code()).isEqualTo(refusal.code);
    assertThat(payer.signed()).isZero();
    assertThat(payer.records()).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8()).isEqualTo(body);
    client.assertNoLeaks();
  }

  static Stream<Arguments> malformedPaymentRequired() {
    String huge =
        "Payment id=\"big\", realm=\"x\", method=\"test\", intent=\"charge\", request=\""
            + "A".repeat(70 * 1024)
            + "\"";
    List<Arguments> cases = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      cases.add(Arguments.of(mode, huge, ErrorCode.HEADER_TOO_LARGE));
      cases.add(Arguments.of(mode, "Basic realm=\"elsewhere\"", ErrorCode.NO_PAYMENT_CHALLENGE));
      cases.add(Arguments.of(mode, null, ErrorCode.NO_PAYMENT_CHALLENGE));
    }
    return cases.stream();
  }

  // 11. A huge or missing challenge: typed error, no payment, the 402 closed.
  @ParameterizedTest
  @MethodSource("malformedPaymentRequired")
  void malformedOrMissingChallengesAreRefused(Mode mode, String field, ErrorCode expected)
      throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    MockResponse.Builder response =
        Paywall.problem(402, ProblemType.PAYMENT_REQUIRED, "pay").body("x".repeat(20_000));
    if (field != null) {
      response.addHeader("WWW-Authenticate", field);
    }
    server.enqueue(response.build());

    MppException error = failure(client, HttpCall.get(url("/odd")), mode);

    assertThat(error.code()).isEqualTo(expected);
    assertThat(payer.authorizeCalls()).isZero();
    assertThat(server.getRequestCount()).isEqualTo(1);
    client.assertNoLeaks();
  }

  // 12. A burst through one client never spends more than the budget.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void concurrentPaidCallsNeverOverspend(Mode mode) throws Exception {
    int calls = 200;
    int affordable = 50;
    Wallet payer = wallet((long) affordable * PRICE_CENTS);
    Paywall.Metered metered = new Paywall.Metered(PRICE_CENTS);
    server.setDispatcher(metered);
    AdapterDriver.Client client = client(ClientOptions.of(payer));

    List<CompletableFuture<HttpReply>> replies = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(32);
    try {
      for (int i = 0; i < calls; i++) {
        HttpCall call = HttpCall.get(url("/item/" + i));
        replies.add(
            mode == Mode.ASYNC
                ? client.executeAsync(call)
                : CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        return client.execute(call);
                      } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                      }
                    },
                    callers));
      }
      int paid = 0;
      int denied = 0;
      for (CompletableFuture<HttpReply> reply : replies) {
        try {
          HttpReply ok = reply.get(60, TimeUnit.SECONDS);
          assertThat(ok.status()).isEqualTo(200);
          assertThat(ok.record().map(PaymentRecord::state)).contains(PaymentState.PAID);
          paid++;
        } catch (java.util.concurrent.ExecutionException e) {
          MppException error = mppError(e);
          assertThat(error.code()).isEqualTo(ErrorCode.POLICY_DENIED);
          denied++;
        }
      }
      assertThat(paid).isEqualTo(affordable);
      assertThat(denied).isEqualTo(calls - affordable);
    } finally {
      callers.shutdownNow();
    }
    assertThat(metered.paid()).isEqualTo(affordable);
    assertThat(metered.rejected()).isZero();
    assertThat(metered.credentials()).hasSize(affordable);
    assertThat(metered.issued()).isEqualTo(calls);
    List<PaymentRecord> ledger = payer.records(LedgerQuery.all());
    assertThat(ledger).hasSize(affordable).allMatch(r -> r.state() == PaymentState.PAID);
    assertThat(ledger.stream().mapToLong(PaymentRecord::usdMicros).sum())
        .isEqualTo(affordable * PRICE_CENTS * 10_000L);
    assertThat(ledger).extracting(PaymentRecord::reference).doesNotHaveDuplicates();
    Budget.Line cap = payer.budget(ClientOptions.DEFAULT_AGENT).lines().get(0);
    assertThat(cap.remaining()).isZero();
    assertThat(cap.held()).isZero();
    assertThat(cap.unknown()).isZero();
    client.assertNoLeaks();
  }

  // 13. Nothing logged, at any level, holds a credential, a key or a receipt reference.
  @Test
  void logsNeverContainCredentialsKeysOrReceiptReferences() throws Exception {
    Wallet payer = wallet(100_00);
    List<String> secrets = new ArrayList<>();
    String captured;
    try (LogCapture logs = LogCapture.start()) {
      AdapterDriver.Client client = client(ClientOptions.of(payer));
      Challenge paid = Paywall.charge("ch-log-paid", PRICE_CENTS);
      server.enqueue(Paywall.paymentRequired(paid));
      server.enqueue(Paywall.paid("ok", "ref-log-secret-1", paid.id()));
      Challenge rejected = Paywall.charge("ch-log-rejected", PRICE_CENTS);
      server.enqueue(Paywall.paymentRequired(rejected));
      server.enqueue(Paywall.problem(402, ProblemType.VERIFICATION_FAILED, "nope").build());
      Challenge lost = Paywall.charge("ch-log-lost", PRICE_CENTS);
      server.enqueue(Paywall.paymentRequired(lost));
      server.enqueue(reset());
      Challenge failing = Paywall.charge("ch-log-5xx", PRICE_CENTS);
      server.enqueue(Paywall.paymentRequired(failing));
      server.enqueue(
          new MockResponse.Builder()
              .code(503)
              .setHeader("Payment-Receipt", Paywall.receipt("ref-log-secret-2", failing.id()))
              .build());

      run(client, HttpCall.get(url("/log/1")), Mode.SYNC);
      run(client, HttpCall.get(url("/log/2")), Mode.ASYNC);
      catchThrowable(() -> run(client, HttpCall.withBody("POST", url("/log/3"), "x"), Mode.SYNC));
      run(client, HttpCall.get(url("/log/4")), Mode.SYNC);
      captured = logs.text();
    }
    for (RecordedRequest request : requests(server)) {
      String credential = authorization(request);
      if (credential != null) {
        secrets.add(credential);
        secrets.add(credential.substring("Payment ".length()));
        Credential parsed = Credential.parse(credential);
        secrets.add(parsed.payload().path("mac").asText());
      }
    }
    secrets.add(FakePayer.SECRET);
    secrets.add("ref-log-secret-1");
    secrets.add("ref-log-secret-2");
    secrets.add(Paywall.receipt("ref-log-secret-1", "ch-log-paid").substring(0, 40));

    assertThat(secrets).hasSizeGreaterThan(9);
    assertThat(captured).as("the capture sees the flow's debug output").contains("ch-log-paid");
    for (String secret : secrets) {
      assertThat(captured).doesNotContain(secret);
    }
  }
}
