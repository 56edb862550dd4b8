package dev.mpp.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentOptions;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.BodyDigest;
import dev.mpp.client.wire.Challenge;
import dev.mpp.testkit.scenario.FakePayer;
import dev.mpp.testkit.scenario.Paywall;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OkHttp-specific behaviour of {@link MppInterceptor}; the shared scenarios cover the rest. */
class MppInterceptorTest {
  private MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static OkHttpClient client(MppInterceptor interceptor) {
    return new OkHttpClient.Builder().addInterceptor(interceptor).build();
  }

  @Test
  void paymentFailuresAreIoExceptionsCarryingTheTypedError() {
    OkHttpClient client = client(MppInterceptor.builder(FakePayer.withBudgetCents(1)).build());
    server.enqueue(Paywall.paymentRequired(Paywall.charge("ch-1", 25)));

    Throwable thrown =
        catchThrowable(
            () -> client.newCall(new Request.Builder().url(server.url("/")).build()).execute());

    assertThat(thrown).isInstanceOf(MppIOException.class).hasMessageStartingWith("[POLICY_DENIED]");
    MppIOException io = (MppIOException) thrown;
    assertThat(io.error()).isInstanceOf(PaymentDeniedException.class).isSameAs(io.getCause());
    assertThat(io.error().code()).isEqualTo(ErrorCode.POLICY_DENIED);
  }

  @Test
  void enqueuedCallsReportPaymentFailuresToOnFailureNotTheUncaughtHandler() throws Exception {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    ExecutorService threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "okhttp-test-dispatcher");
              thread.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
              return thread;
            });
    OkHttpClient client =
        new OkHttpClient.Builder()
            .dispatcher(new Dispatcher(threads))
            .addInterceptor(MppInterceptor.builder(FakePayer.withBudgetCents(1)).build())
            .build();
    server.enqueue(Paywall.paymentRequired(Paywall.charge("ch-async", 25)));
    CompletableFuture<IOException> failure = new CompletableFuture<>();

    client
        .newCall(new Request.Builder().url(server.url("/")).build())
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                failure.complete(e);
              }

              @Override
              public void onResponse(Call call, Response response) {
                response.close();
                failure.completeExceptionally(new AssertionError("a denied call must fail"));
              }
            });

    IOException error = failure.get(10, TimeUnit.SECONDS);
    assertThat(error).isInstanceOf(MppIOException.class);
    assertThat(((MppIOException) error).error().code()).isEqualTo(ErrorCode.POLICY_DENIED);
    threads.shutdown();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(uncaught).isEmpty();
  }

  @Test
  void addingItAsANetworkInterceptorFailsLoudly() {
    OkHttpClient client =
        new OkHttpClient.Builder()
            .addNetworkInterceptor(MppInterceptor.builder(FakePayer.unlimited()).build())
            .build();
    server.enqueue(new MockResponse.Builder().body("ok").build());

    Throwable thrown =
        catchThrowable(
            () -> client.newCall(new Request.Builder().url(server.url("/")).build()).execute());

    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("addInterceptor");
  }

  /** A challenge bound to the digest of {@code body}. */
  private static Challenge boundTo(String body) {
    return Paywall.charge("ch-bound", "test", "charge", "5", "usd")
        .digest(BodyDigest.sha256(body.getBytes(StandardCharsets.UTF_8)).toString())
        .build();
  }

  private Request upload(String body) {
    return new Request.Builder()
        .url(server.url("/upload"))
        .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  @Test
  void aSecondCallOfAOneShotSetterIsRejectedNamingIt() {
    MppInterceptor.Builder builder = MppInterceptor.builder(FakePayer.unlimited()).agent("bot-1");

    assertThatThrownBy(() -> builder.agent("bot-2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("agent was already set");
    assertThatThrownBy(() -> builder.options(PaymentOptions.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("agent");
  }

  @Test
  void sharedOptionsConfigureTheInterceptorAndAFlowAlike() throws Exception {
    PaymentOptions options = PaymentOptions.builder().maxBufferedBody(8).build();
    FakePayer payer = FakePayer.unlimited();
    for (MppInterceptor interceptor :
        List.of(
            MppInterceptor.builder(payer).options(options).build(),
            MppInterceptor.create(PaymentFlow.create(payer, options)))) {
      String body = "a body longer than eight bytes";
      server.enqueue(Paywall.paymentRequired(boundTo(body)));

      Throwable refused = catchThrowable(() -> client(interceptor).newCall(upload(body)).execute());

      assertThat(refused)
          .isInstanceOf(MppIOException.class)
          .hasMessageContaining("maxBufferedBody");
    }
    assertThat(payer.signed()).isZero();
  }

  @Test
  void bodiesOverTheSnapshotLimitArePaidButNotAgainstADigest() throws Exception {
    FakePayer payer = FakePayer.unlimited();
    OkHttpClient client = client(MppInterceptor.builder(payer).maxBufferedBody(8).build());
    String body = "a body longer than eight bytes";
    Challenge plain = Paywall.charge("ch-plain", 5);
    server.enqueue(Paywall.paymentRequired(plain));
    server.enqueue(Paywall.paid("ok", "ref-plain", plain.id()));
    server.enqueue(Paywall.paymentRequired(boundTo(body)));
    Request request = upload(body);

    try (Response paid = client.newCall(request).execute()) {
      assertThat(MppInterceptor.paymentRecord(paid).map(PaymentRecord::state))
          .contains(PaymentState.PAID);
    }
    Throwable refused = catchThrowable(() -> client.newCall(request).execute());

    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(body);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(body);
    assertThat(refused).isInstanceOf(MppIOException.class);
    assertThat(((MppIOException) refused).error().code()).isEqualTo(ErrorCode.DIGEST_MISMATCH);
    assertThat(refused).hasMessageContaining("maxBufferedBody");
    assertThat(payer.signed()).isEqualTo(1);
  }

  @Test
  void unpaidResponsesCarryNoPaymentTag() throws Exception {
    OkHttpClient client = client(MppInterceptor.builder(FakePayer.unlimited()).build());
    server.enqueue(new MockResponse.Builder().body("free").build());

    try (Response response =
        client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(MppInterceptor.paymentRecord(response)).isEmpty();
      assertThat(MppInterceptor.paymentProblem(response)).isEmpty();
      assertThat(response.body().string()).isEqualTo("free");
    }
  }
}
