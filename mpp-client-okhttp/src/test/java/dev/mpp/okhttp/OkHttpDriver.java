package dev.mpp.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.Resilience4jRetry;
import dev.mpp.testkit.scenario.AdapterDriver;
import dev.mpp.testkit.scenario.ClientOptions;
import dev.mpp.testkit.scenario.HttpCall;
import dev.mpp.testkit.scenario.HttpReply;
import java.io.IOException;
import java.net.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/** Runs the shared scenarios through an {@link OkHttpClient} with a {@link MppInterceptor}. */
final class OkHttpDriver implements AdapterDriver {

  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public Client client(ClientOptions options) {
    MppInterceptor.Builder interceptor =
        MppInterceptor.builder(options.payer())
            .agent(options.agent())
            .allowInsecureHttp(options.allowInsecureHttp())
            .returnUnpaidResponses(options.returnUnpaidResponses())
            .acceptPayment(options.acceptPayment())
            .maxBufferedBody(options.maxBufferedBody());
    if (options.transportRetry() != null) {
      interceptor.transportRetry(Resilience4jRetry.of(options.transportRetry()));
    }
    OkHttpClient.Builder builder =
        new OkHttpClient.Builder()
            .addInterceptor(interceptor.build())
            .connectTimeout(options.timeout())
            .readTimeout(options.timeout());
    if (options.proxy() != null) {
      builder.proxy(new Proxy(Proxy.Type.HTTP, options.proxy()));
    }
    return new OkClient(builder.build());
  }

  static Request request(HttpCall call) {
    Request.Builder builder = new Request.Builder().url(call.url().toString());
    call.headers().forEach(builder::header);
    RequestBody body = null;
    if (call.body() != null) {
      byte[] bytes = call.body();
      body =
          call.streamed()
              ? new RequestBody() {
                @Override
                public okhttp3.MediaType contentType() {
                  return null;
                }

                @Override
                public boolean isOneShot() {
                  return true;
                }

                @Override
                public void writeTo(BufferedSink sink) throws IOException {
                  sink.write(bytes);
                }
              }
              : RequestBody.create(bytes);
    }
    return builder.method(call.method(), body).build();
  }

  static HttpReply reply(Response response) throws IOException {
    return new HttpReply(
        response.code(),
        response.headers().toMultimap(),
        response.body().string(),
        response.request().url().uri(),
        MppInterceptor.paymentRecord(response),
        MppInterceptor.paymentProblem(response));
  }

  private static final class OkClient implements Client {
    private final OkHttpClient client;

    OkClient(OkHttpClient client) {
      this.client = client;
    }

    @Override
    public HttpReply execute(HttpCall call) throws IOException {
      try (Response response = client.newCall(request(call)).execute()) {
        return reply(response);
      }
    }

    @Override
    public CompletableFuture<HttpReply> executeAsync(HttpCall call) {
      CompletableFuture<HttpReply> reply = new CompletableFuture<>();
      client
          .newCall(request(call))
          .enqueue(
              new Callback() {
                @Override
                public void onFailure(Call c, IOException e) {
                  reply.completeExceptionally(e);
                }

                @Override
                public void onResponse(Call c, Response response) {
                  HttpReply read;
                  try (response) {
                    read = reply(response);
                  } catch (IOException | RuntimeException e) {
                    reply.completeExceptionally(e);
                    return;
                  }
                  reply.complete(read); // after close: the connection is back in the pool
                }
              });
      return reply;
    }

    @Override
    public void assertNoLeaks() {
      // An enqueued call counts as running until its callback has returned, which may be just
      // after the scenario saw its result.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (client.dispatcher().runningCallsCount() > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(client.dispatcher().runningCallsCount()).as("running calls").isZero();
      ConnectionPool pool = client.connectionPool();
      assertThat(pool.connectionCount())
          .as("connections still carrying a response")
          .isEqualTo(pool.idleConnectionCount());
    }

    @Override
    public void close() {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
