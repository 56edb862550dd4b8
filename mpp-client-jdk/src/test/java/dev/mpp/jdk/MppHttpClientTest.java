package dev.mpp.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentOptions;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.ProblemType;
import dev.mpp.testkit.scenario.FakePayer;
import dev.mpp.testkit.scenario.Paywall;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JDK-specific behaviour of {@link MppHttpClient}; the shared scenarios cover the rest. */
class MppHttpClientTest {
  private MockWebServer server;
  private final ExecutorService clientThreads = Executors.newCachedThreadPool(named("client-exec"));
  private final ExecutorService flowThreads = Executors.newCachedThreadPool(named("flow-exec"));

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
    clientThreads.shutdownNow();
    flowThreads.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private URI url(String path) {
    return server.url(path).uri();
  }

  @Test
  void sendAsyncReadsTheBodySignsAndRecordsOnlyOnTheFlowExecutor() throws Exception {
    FakePayer payer = FakePayer.unlimited();
    HttpClient delegate = HttpClient.newBuilder().executor(clientThreads).build();
    MppHttpClient client = MppHttpClient.builder(delegate, payer).executor(flowThreads).build();
    Challenge challenge = Paywall.charge("ch-async", 25);
    server.enqueue(Paywall.paymentRequired(challenge));
    server.enqueue(Paywall.paid("async goods", "ref-async", challenge.id()));
    List<String> readers = new CopyOnWriteArrayList<>();
    HttpRequest request =
        HttpRequest.newBuilder(url("/a"))
            .POST(
                BodyPublishers.ofInputStream(
                    () -> {
                      readers.add(Thread.currentThread().getName());
                      return new ByteArrayInputStream(
                          "slow stream".getBytes(StandardCharsets.UTF_8));
                    }))
            .build();

    HttpResponse<String> response =
        client.sendAsync(request, BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);

    assertThat(response.body()).isEqualTo("async goods");
    assertThat(MppHttpClient.paymentRecord(response).map(PaymentRecord::state))
        .contains(PaymentState.PAID);
    assertThat(readers).singleElement().asString().startsWith("flow-exec-");
    assertThat(payer.payingThreads()).hasSize(2).allMatch(name -> name.startsWith("flow-exec-"));
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo("slow stream");
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo("slow stream");
  }

  @Test
  void aReturnedPaymentRequiredReachesAStreamingBodyHandlerIntact() throws Exception {
    MppHttpClient client =
        MppHttpClient.builder(HttpClient.newHttpClient(), FakePayer.withBudgetCents(0))
            .returnUnpaidResponses(true)
            .build();
    server.enqueue(Paywall.paymentRequired(Paywall.charge("ch-stream", 25)));

    HttpResponse<InputStream> response =
        client.send(HttpRequest.newBuilder(url("/s")).build(), BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(402);
    try (InputStream body = response.body()) {
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
          .contains(ProblemType.PAYMENT_REQUIRED.uri());
    }
    assertThat(MppHttpClient.paymentRecord(response)).isEmpty();
  }

  @Test
  void aStreamedBodyIsReadOnceAndTheSameBytesAreSentOnBothAttempts() throws Exception {
    FakePayer payer = FakePayer.unlimited();
    MppHttpClient client = MppHttpClient.wrap(HttpClient.newHttpClient(), payer);
    Challenge challenge = Paywall.charge("ch-once", 25);
    server.enqueue(Paywall.paymentRequired(challenge));
    server.enqueue(Paywall.paid("ok", "ref-once", challenge.id()));
    byte[] bytes = "streamed exactly once".getBytes(StandardCharsets.UTF_8);
    AtomicInteger opened = new AtomicInteger();
    HttpRequest request =
        HttpRequest.newBuilder(url("/upload"))
            .POST(
                BodyPublishers.ofInputStream(
                    () -> {
                      if (opened.incrementAndGet() > 1) {
                        throw new IllegalStateException("the stream was already consumed");
                      }
                      return new ByteArrayInputStream(bytes);
                    }))
            .build();

    HttpResponse<String> response = client.send(request, BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(opened).hasValue(1);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo("streamed exactly once");
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo("streamed exactly once");
  }

  @Test
  void aSecondCallOfAOneShotSetterIsRejectedNamingIt() {
    MppHttpClient.Builder builder =
        MppHttpClient.builder(HttpClient.newHttpClient(), FakePayer.unlimited())
            .maxBufferedBody(16);

    assertThatThrownBy(() -> builder.maxBufferedBody(32))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxBufferedBody was already set");
  }

  @Test
  void sharedOptionsConfigureTheClientAndAFlowAlike() throws Exception {
    PaymentOptions options = PaymentOptions.builder().maxBufferedBody(16).build();
    FakePayer payer = FakePayer.unlimited();
    for (MppHttpClient client :
        List.of(
            MppHttpClient.builder(HttpClient.newHttpClient(), payer).options(options).build(),
            MppHttpClient.wrap(HttpClient.newHttpClient(), PaymentFlow.create(payer, options)))) {
      server.enqueue(Paywall.paymentRequired(Paywall.charge("ch-big", 25)));

      Throwable thrown =
          catchThrowable(
              () ->
                  client.send(
                      HttpRequest.newBuilder(url("/big"))
                          .POST(BodyPublishers.ofString("y".repeat(4096)))
                          .build(),
                      BodyHandlers.ofString()));

      assertThat(((MppException) thrown).code()).isEqualTo(ErrorCode.BODY_NOT_REPLAYABLE);
    }
    assertThat(payer.signed()).isZero();
  }

  @Test
  void aKnownLengthBodyOverTheLimitStreamsOnceAndIsNotPaid() throws Exception {
    FakePayer payer = FakePayer.unlimited();
    MppHttpClient client =
        MppHttpClient.builder(HttpClient.newHttpClient(), payer).maxBufferedBody(16).build();
    server.enqueue(Paywall.paymentRequired(Paywall.charge("ch-big", 25)));
    String body = "y".repeat(4096);

    Throwable thrown =
        catchThrowable(
            () ->
                client.send(
                    HttpRequest.newBuilder(url("/big")).POST(BodyPublishers.ofString(body)).build(),
                    BodyHandlers.ofString()));

    assertThat(thrown).isInstanceOf(MppException.class);
    assertThat(((MppException) thrown).code()).isEqualTo(ErrorCode.BODY_NOT_REPLAYABLE);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(body);
    assertThat(payer.signed()).isZero();
  }

  @Test
  void aClientThatNeverFollowsRedirectsGetsThePaidRedirectAsIs() throws Exception {
    FakePayer payer = FakePayer.unlimited();
    MppHttpClient client = MppHttpClient.wrap(HttpClient.newHttpClient(), payer);
    try (MockWebServer other = new MockWebServer()) {
      other.start(InetAddress.getByName("127.0.0.1"), 0);
      Challenge challenge = Paywall.charge("ch-never", 25);
      server.enqueue(Paywall.paymentRequired(challenge));
      server.enqueue(
          new MockResponse.Builder()
              .code(302)
              .setHeader("Location", other.url("/x").toString())
              .setHeader("Payment-Receipt", Paywall.receipt("ref-never", challenge.id()))
              .body("see other")
              .build());

      HttpResponse<String> response =
          client.send(HttpRequest.newBuilder(url("/pay")).build(), BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(302);
      assertThat(response.body()).isEqualTo("see other");
      assertThat(MppHttpClient.paymentRecord(response).map(PaymentRecord::reference))
          .contains("ref-never");
      assertThat(other.getRequestCount()).isZero();
    }
  }

  @Test
  void anOversizedPaymentRequiredBodyFailsTheCall() {
    MppHttpClient client = MppHttpClient.wrap(HttpClient.newHttpClient(), FakePayer.unlimited());
    server.enqueue(
        Paywall.problem(402, ProblemType.PAYMENT_REQUIRED, "pay")
            .body("z".repeat(Payload.MAX_HELD_BYTES + 1))
            .addHeader("WWW-Authenticate", Paywall.charge("ch-huge-body", 25).toHeaderValue())
            .build());

    assertThatThrownBy(
            () -> client.send(HttpRequest.newBuilder(url("/h")).build(), BodyHandlers.ofString()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("exceeds");
  }

  @Test
  void aForeignClientThatFollowsRedirectsCannotBeWrapped() {
    HttpClient following =
        MppHttpClient.wrap(
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build(),
            FakePayer.unlimited());

    assertThatThrownBy(() -> MppHttpClient.wrap(following, FakePayer.unlimited()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Redirect.NEVER");
  }

  @Test
  void settingsAreTheDelegatesOwn() {
    HttpClient delegate =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.ALWAYS)
            .connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1)
            .executor(clientThreads)
            .build();

    MppHttpClient client = MppHttpClient.wrap(delegate, FakePayer.unlimited());

    assertThat(client.followRedirects()).isEqualTo(HttpClient.Redirect.ALWAYS);
    assertThat(client.connectTimeout()).contains(Duration.ofSeconds(3));
    assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(client.executor()).contains(clientThreads);
    assertThat(client.sslContext()).isSameAs(delegate.sslContext());
  }

  @Test
  void unpaidResponsesCarryNoRecord() throws Exception {
    MppHttpClient client = MppHttpClient.wrap(HttpClient.newHttpClient(), FakePayer.unlimited());
    server.enqueue(new MockResponse.Builder().body("free").build());

    HttpResponse<String> response =
        client.send(HttpRequest.newBuilder(url("/free")).build(), BodyHandlers.ofString());
    RecordedRequest request = server.takeRequest();

    assertThat(response.body()).isEqualTo("free");
    assertThat(MppHttpClient.paymentRecord(response)).isEmpty();
    assertThat(MppHttpClient.paymentProblem(response)).isEmpty();
    assertThat(request.getHeaders().get("Authorization")).isNull();
  }
}
