package dev.mpp.okhttp;

import dev.mpp.testkit.bench.PaidLatency;
import dev.mpp.wallet.Wallet;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Median latency a paid request adds through {@link MppInterceptor} on loopback. Run with {@code
 * java -cp <test classpath> dev.mpp.okhttp.OkHttpLatencyBenchmark [iterations]} (see the module's
 * README section in the project README); not a unit test.
 */
public final class OkHttpLatencyBenchmark {
  private OkHttpLatencyBenchmark() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    PaidLatency.quietLogs();
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
    PaidLatency.SigningTimer timer = new PaidLatency.SigningTimer();
    try (Wallet wallet = PaidLatency.wallet()) {
      OkHttpClient plain = new OkHttpClient();
      OkHttpClient paying =
          plain
              .newBuilder()
              .addInterceptor(MppInterceptor.builder(wallet).agent("bench").listener(timer).build())
              .build();
      PaidLatency.run(
          "OkHttp " + okhttp3.OkHttp.VERSION,
          url -> get(plain, url),
          url -> get(paying, url),
          timer,
          iterations,
          System.out);
      plain.dispatcher().executorService().shutdown();
      plain.connectionPool().evictAll();
    }
  }

  private static int get(OkHttpClient client, java.net.URI url) throws java.io.IOException {
    try (Response response =
        client.newCall(new Request.Builder().url(url.toString()).build()).execute()) {
      response.body().bytes();
      return response.code();
    }
  }
}
