package dev.mpp.client;

import static dev.mpp.client.Fixtures.NOW;
import static dev.mpp.client.Fixtures.URL;
import static dev.mpp.client.Fixtures.challenge;
import static dev.mpp.client.Fixtures.paid;
import static dev.mpp.client.Fixtures.paymentRequired;
import static dev.mpp.client.Fixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.wire.BodyDigest;
import dev.mpp.client.wire.ProblemType;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link PaymentFlow#executeAsync}: the main cases of the synchronous flow, off the caller. */
class PaymentFlowAsyncTest {
  final FakePayer payer = new FakePayer();
  final ExecutorService payPool = pool("test-pay");
  final ExecutorService httpPool = pool("test-http");

  static ExecutorService pool(String name) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        2,
        task -> {
          Thread thread = new Thread(task, name + "-" + n.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  @AfterEach
  void stopPools() {
    payPool.shutdownNow();
    httpPool.shutdownNow();
  }

  PaymentFlow.Builder flow() {
    return PaymentFlow.builder(payer).clock(Fixtures.clock()).executor(payPool);
  }

  FakeExchange exchange() {
    return new FakeExchange(URL).asyncOn(httpPool);
  }

  static PaymentContext get() {
    return PaymentContext.of(URI.create(URL), "GET", "agent-1");
  }

  static <R> R await(CompletableFuture<R> future)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(30, TimeUnit.SECONDS);
  }

  static Throwable failure(CompletableFuture<?> future) throws Exception {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("future completed normally");
  }

  @Test
  void paysOnceWithThePayerNeverOnTheCallerThread() throws Exception {
    FakeResponse challengeResponse = paymentRequired(challenge("c1"));
    FakeExchange exchange = exchange().then(challengeResponse).then(paid("0xabc"));
    Thread caller = Thread.currentThread();

    PaymentResult<FakeResponse> result = await(flow().build().executeAsync(get(), exchange));

    assertThat(payer.threads())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t).isNotSameAs(caller);
              assertThat(t.getName()).startsWith("test-pay-");
            });
    assertThat(payer.only().threads())
        .allSatisfy(t -> assertThat(t.getName()).startsWith("test-pay-"));
    assertThat(payer.only().transitions()).containsExactly("settle 200");
    assertThat(exchange.requests()).hasSize(2);
    assertThat(exchange.requests().get(1))
        .containsEntry("Authorization", payer.only().authorizationHeader());
    assertThat(challengeResponse.discarded()).isTrue();
    assertThat(result.paymentRecord().orElseThrow().reference()).isEqualTo("0xabc");
  }

  @Test
  void withASynchronousExchangeThePayerStillRunsOffTheCaller() throws Exception {
    FakeExchange exchange =
        new FakeExchange(URL).then(paymentRequired(challenge("c1"))).then(paid("r"));
    Thread caller = Thread.currentThread();

    await(PaymentFlow.builder(payer).clock(Fixtures.clock()).build().executeAsync(get(), exchange));

    assertThat(payer.threads())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t).isNotSameAs(caller);
              assertThat(t.getName()).startsWith("mpp-pay-");
              assertThat(t.isDaemon()).isTrue();
            });
  }

  @Test
  void aResponseOtherThan402PassesThrough() throws Exception {
    FakeExchange exchange = exchange().then(FakeResponse.status(404));

    PaymentResult<FakeResponse> result = await(flow().build().executeAsync(get(), exchange));

    assertThat(result.response().status).isEqualTo(404);
    assertThat(payer.authorizeCalls()).isZero();
  }

  @ParameterizedTest
  @EnumSource(names = {"VERIFICATION_FAILED", "INVALID_CHALLENGE", "PAYMENT_EXPIRED"})
  void aSecondPaymentRequiredIsReportedAndNotRepaidByDefault(ProblemType type) throws Exception {
    FakeResponse second = rejected(type, challenge("fresh"));
    FakeExchange exchange = exchange().then(paymentRequired(challenge("c1"))).then(second);

    PaymentResult<FakeResponse> result = await(flow().build().executeAsync(get(), exchange));

    assertThat(payer.authorizeCalls()).isEqualTo(1);
    assertThat(result.response()).isSameAs(second);
    assertThat(result.problemDetails().orElseThrow().type()).isEqualTo(type);
    assertThat(payer.only().transitions())
        .singleElement()
        .asString()
        .startsWith(type.provesNoSettlement() ? "release" : "unknown")
        .endsWith(type.uri());
  }

  @Test
  void twoAttemptsRepayOnlyAfterInvalidChallenge() throws Exception {
    FakeExchange exchange =
        exchange()
            .then(paymentRequired(challenge("c1")))
            .then(rejected(ProblemType.INVALID_CHALLENGE, challenge("c2")))
            .then(paid("0x2"));

    PaymentResult<FakeResponse> result =
        await(flow().maxPaymentAttempts(2).build().executeAsync(get(), exchange));

    assertThat(payer.authorizeCalls()).isEqualTo(2);
    assertThat(payer.offersSeen().get(1)).containsExactly(challenge("c2"));
    assertThat(result.paymentRecord().orElseThrow().challengeId()).isEqualTo("c2");
    assertThat(payer.threads()).allSatisfy(t -> assertThat(t.getName()).startsWith("test-pay-"));
  }

  @Test
  void twoAttemptsDoNotRepayAfterVerificationFailed() throws Exception {
    FakeExchange exchange =
        exchange()
            .then(paymentRequired(challenge("c1")))
            .then(rejected(ProblemType.VERIFICATION_FAILED, challenge("c2")));

    await(flow().maxPaymentAttempts(2).build().executeAsync(get(), exchange));

    assertThat(payer.authorizeCalls()).isEqualTo(1);
  }

  @Test
  void refusalsFailTheFutureWithTheTypedErrorAndDiscardThe402() throws Exception {
    FakeResponse response = paymentRequired(challenge("c1", NOW.minusSeconds(1)));
    FakeExchange exchange = exchange().then(response);

    Throwable error = failure(flow().build().executeAsync(get(), exchange));

    assertThat(error)
        .isInstanceOfSatisfying(
            PaymentRefusedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CHALLENGE_EXPIRED));
    assertThat(response.discarded()).isTrue();
    assertThat(payer.authorizeCalls()).isZero();
  }

  @Test
  void theOtherRefusalsToo() throws Exception {
    PaymentFlow flow = flow().build();
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    PaymentContext post = new PaymentContext(URI.create(URL), "POST", "a", body, true, null);
    PaymentContext insecure = PaymentContext.of(URI.create("http://shop.invalid/x"), "GET", "a");

    assertThat(
            failure(
                flow.executeAsync(
                    insecure,
                    new FakeExchange("http://shop.invalid/x")
                        .asyncOn(httpPool)
                        .then(paymentRequired(challenge("c"))))))
        .hasFieldOrPropertyWithValue("code", ErrorCode.INSECURE_TRANSPORT);
    assertThat(
            failure(
                flow.executeAsync(
                    get(),
                    exchange()
                        .then(
                            paymentRequired(challenge("c"))
                                .url(URI.create("https://127.0.0.9:8443/"))))))
        .hasFieldOrPropertyWithValue("code", ErrorCode.CROSS_ORIGIN);
    assertThat(failure(flow.executeAsync(get(), exchange().then(FakeResponse.status(402)))))
        .hasFieldOrPropertyWithValue("code", ErrorCode.NO_PAYMENT_CHALLENGE);
    assertThat(
            failure(
                flow.executeAsync(
                    post,
                    exchange()
                        .then(
                            paymentRequired(
                                challenge("c").toBuilder()
                                    .digest(BodyDigest.sha256(new byte[] {9}).toString())
                                    .build())))))
        .hasFieldOrPropertyWithValue("code", ErrorCode.DIGEST_MISMATCH);
    assertThat(payer.authorizeCalls()).isZero();
  }

  @Test
  void returnUnpaidResponsesCompletesWithThe402() throws Exception {
    FakeResponse response = paymentRequired(challenge("c1", NOW.minusSeconds(1)));

    PaymentResult<FakeResponse> result =
        await(
            flow()
                .returnUnpaidResponses(true)
                .build()
                .executeAsync(get(), exchange().then(response)));

    assertThat(result.response()).isSameAs(response);
    assertThat(response.discarded()).isFalse();
  }

  @Test
  void anIOExceptionAfterSendingIsOutcomeUnknown() throws Exception {
    FakeExchange exchange =
        exchange().then(paymentRequired(challenge("c1"))).thenFail(new IOException("reset"));

    Throwable error = failure(flow().build().executeAsync(get(), exchange));

    assertThat(error)
        .isInstanceOfSatisfying(
            PaymentOutcomeUnknownException.class,
            e -> assertThat(e.record().orElseThrow().state()).isEqualTo(PaymentState.UNKNOWN));
    assertThat(error.getCause()).isInstanceOf(IOException.class);
    assertThat(payer.only().transitions()).singleElement().asString().startsWith("unknown");
  }

  @Test
  void anAdapterThatThrowsInsteadOfFailingTheFutureIsOutcomeUnknownToo() throws Exception {
    AtomicInteger sends = new AtomicInteger();
    FakeExchange exchange = new FakeExchange(URL).then(paymentRequired(challenge("c1")));
    Exchange<FakeResponse> throwing =
        new Exchange<>() {
          @Override
          public FakeResponse send(Map<String, String> headers) throws IOException {
            return exchange.send(headers);
          }

          @Override
          public CompletableFuture<FakeResponse> sendAsync(Map<String, String> headers) {
            if (sends.incrementAndGet() == 2) {
              throw new IllegalStateException("client shut down");
            }
            return Exchange.super.sendAsync(headers);
          }

          @Override
          public int status(FakeResponse response) {
            return exchange.status(response);
          }

          @Override
          public List<String> headers(FakeResponse response, String name) {
            return exchange.headers(response, name);
          }

          @Override
          public URI url(FakeResponse response) {
            return exchange.url(response);
          }

          @Override
          public byte[] peekBody(FakeResponse response, int maxBytes) {
            return exchange.peekBody(response, maxBytes);
          }

          @Override
          public void discard(FakeResponse response) {
            exchange.discard(response);
          }
        };

    Throwable error = failure(flow().build().executeAsync(get(), throwing));

    assertThat(error).isInstanceOf(PaymentOutcomeUnknownException.class);
    assertThat(payer.only().transitions()).singleElement().asString().startsWith("unknown");
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 503})
  void a5xxAfterPayingIsUnknown(int status) throws Exception {
    FakeExchange exchange =
        exchange().then(paymentRequired(challenge("c1"))).then(FakeResponse.status(status));

    PaymentResult<FakeResponse> result = await(flow().build().executeAsync(get(), exchange));

    assertThat(result.paymentRecord().orElseThrow().state()).isEqualTo(PaymentState.UNKNOWN);
  }

  @Test
  void transportResendsReuseTheIdempotencyKey() throws Exception {
    TransportRetry retryOnce =
        new TransportRetry() {
          @Override
          public <R> R call(IoCall<R> call) throws IOException {
            throw new AssertionError("the async path must use callAsync");
          }

          @Override
          public <R> CompletableFuture<R> callAsync(
              java.util.function.Supplier<CompletableFuture<R>> call) {
            return call.get().exceptionallyCompose(e -> call.get());
          }
        };
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    PaymentContext post = new PaymentContext(URI.create(URL), "POST", "a", body, true, null);
    FakeExchange exchange =
        exchange()
            .then(paymentRequired(challenge("c1")))
            .thenFail(new IOException("reset"))
            .then(paid("r"));

    await(flow().transportRetry(retryOnce).build().executeAsync(post, exchange));

    assertThat(exchange.requests()).hasSize(3);
    assertThat(exchange.requests().get(1).get("Idempotency-Key")).isNotBlank();
    assertThat(exchange.requests().get(2)).isEqualTo(exchange.requests().get(1));
    assertThat(payer.authorizeCalls()).isEqualTo(1);
  }

  @Test
  void aRejectionOfAnAsyncResendKeepsThePaymentCounted() throws Exception {
    TransportRetry retryOnce =
        new TransportRetry() {
          @Override
          public <R> R call(IoCall<R> call) throws IOException {
            throw new AssertionError("the async path must use callAsync");
          }

          @Override
          public <R> CompletableFuture<R> callAsync(
              java.util.function.Supplier<CompletableFuture<R>> call) {
            return call.get().exceptionallyCompose(e -> call.get());
          }
        };
    FakeExchange exchange =
        exchange()
            .then(paymentRequired(challenge("c1")))
            .thenFail(new IOException("reset"))
            .then(rejected(ProblemType.PAYMENT_EXPIRED, challenge("c2")));

    PaymentResult<FakeResponse> result =
        await(
            flow()
                .transportRetry(retryOnce)
                .maxPaymentAttempts(2)
                .build()
                .executeAsync(get(), exchange));

    assertThat(result.paymentRecord().orElseThrow().state()).isEqualTo(PaymentState.UNKNOWN);
    assertThat(payer.authorizeCalls()).isEqualTo(1);
  }

  @Test
  void aPayerBugFailsTheFutureAndDiscardsThe402() throws Exception {
    payer.failingWith(new IllegalStateException("bug"));
    FakeResponse response = paymentRequired(challenge("c1"));

    Throwable error = failure(flow().build().executeAsync(get(), exchange().then(response)));

    assertThat(error).isInstanceOf(IllegalStateException.class).hasMessage("bug");
    assertThat(response.discarded()).isTrue();
  }
}
