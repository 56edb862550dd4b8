package dev.mpp.jdk;

import dev.mpp.testkit.bench.PaidLatency;
import dev.mpp.wallet.Wallet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;

/**
 * Median latency a paid request adds through {@link MppHttpClient} on loopback. Run with {@code
 * java -cp <test classpath> dev.mpp.jdk.JdkLatencyBenchmark [iterations]}; not a unit test.
 */
public final class JdkLatencyBenchmark {
  private JdkLatencyBenchmark() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    PaidLatency.quietLogs();
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
    PaidLatency.SigningTimer timer = new PaidLatency.SigningTimer();
    try (Wallet wallet = PaidLatency.wallet()) {
      HttpClient plain = HttpClient.newHttpClient();
      HttpClient paying =
          MppHttpClient.builder(plain, wallet).agent("bench").listener(timer).build();
      PaidLatency.run(
          "java.net.http (JDK " + Runtime.version().feature() + ")",
          url -> get(plain, url),
          url -> get(paying, url),
          timer,
          iterations,
          System.out);
    }
  }

  private static int get(HttpClient client, URI url) throws Exception {
    return client
        .send(HttpRequest.newBuilder(url).build(), BodyHandlers.ofByteArray())
        .statusCode();
  }
}
