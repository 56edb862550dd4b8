package dev.mpp.jdk;

import dev.mpp.client.Resilience4jRetry;
import dev.mpp.testkit.scenario.AdapterDriver;
import dev.mpp.testkit.scenario.ClientOptions;
import dev.mpp.testkit.scenario.HttpCall;
import dev.mpp.testkit.scenario.HttpReply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the shared scenarios through a {@link MppHttpClient} wrapping a JDK client that follows
 * redirects ({@code NORMAL}), the case in which the adapter must guard the credential itself.
 */
final class JdkDriver implements AdapterDriver {
  private final HttpClient.Redirect redirects;

  JdkDriver(HttpClient.Redirect redirects) {
    this.redirects = redirects;
  }

  @Override
  public String name() {
    return "jdk";
  }

  @Override
  public Client client(ClientOptions options) {
    HttpClient.Builder delegate =
        HttpClient.newBuilder().followRedirects(redirects).connectTimeout(options.timeout());
    if (options.proxy() != null) {
      delegate.proxy(ProxySelector.of(options.proxy()));
    }
    MppHttpClient.Builder builder =
        MppHttpClient.builder(delegate.build(), options.payer())
            .agent(options.agent())
            .allowInsecureHttp(options.allowInsecureHttp())
            .returnUnpaidResponses(options.returnUnpaidResponses())
            .acceptPayment(options.acceptPayment())
            .maxBufferedBody(options.maxBufferedBody());
    if (options.transportRetry() != null) {
      builder.transportRetry(Resilience4jRetry.of(options.transportRetry()));
    }
    if (options.flowExecutor() != null) {
      builder.executor(options.flowExecutor());
    }
    return new JdkClient(builder.build(), options.timeout());
  }

  static HttpRequest request(HttpCall call, Duration timeout) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(call.url()).timeout(timeout);
    call.headers().forEach(builder::header);
    byte[] bytes = call.body();
    if (bytes == null) {
      return builder.method(call.method(), BodyPublishers.noBody()).build();
    }
    if (!call.streamed()) {
      return builder.method(call.method(), BodyPublishers.ofByteArray(bytes)).build();
    }
    AtomicBoolean opened = new AtomicBoolean();
    return builder
        .method(
            call.method(),
            BodyPublishers.ofInputStream(
                () -> {
                  if (opened.getAndSet(true)) {
                    throw new IllegalStateException("the stream was already consumed");
                  }
                  return new ByteArrayInputStream(bytes);
                }))
        .build();
  }

  static HttpReply reply(HttpResponse<String> response) {
    return new HttpReply(
        response.statusCode(),
        response.headers().map(),
        response.body(),
        response.uri(),
        MppHttpClient.paymentRecord(response),
        MppHttpClient.paymentProblem(response));
  }

  private static final class JdkClient implements Client {
    private final MppHttpClient client;
    private final Duration timeout;

    JdkClient(MppHttpClient client, Duration timeout) {
      this.client = client;
      this.timeout = timeout;
    }

    @Override
    public HttpReply execute(HttpCall call) throws IOException, InterruptedException {
      return reply(client.send(request(call, timeout), BodyHandlers.ofString()));
    }

    @Override
    public CompletableFuture<HttpReply> executeAsync(HttpCall call) {
      return client
          .sendAsync(request(call, timeout), BodyHandlers.ofString())
          .thenApply(JdkDriver::reply);
    }

    @Override
    public void assertNoLeaks() {
      // java.net.http exposes no connection state. Every body the adapter looks at is held in
      // memory and every other body goes to the caller's handler, so there is nothing to leak;
      // JdkAdapterTest checks that a held 402 reaches a streaming handler intact.
    }

    @Override
    public void close() {
      // JDK 17 clients have no close(); their threads end when unreachable.
    }
  }
}
