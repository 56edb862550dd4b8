package dev.mpp.bench.e2e;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.jdk.MppHttpClient;
import dev.mpp.okhttp.MppInterceptor;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.SqliteLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.rail.HmacTestRail;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One measured run of a Java client against the reference server's {@code /test/charge}, in its own
 * JVM so that its process CPU time is its own: {@code callers} threads make {@code warmup} paid
 * calls (not measured, for the JIT), then {@code calls} measured ones. Prints one JSON line: calls,
 * errors, wall seconds and process CPU seconds of the measured phase.
 *
 * <p>Clients: {@code okhttp} ({@link MppInterceptor}), {@code jdk} ({@link MppHttpClient}), both
 * paying from a {@link Wallet} with the {@link HmacTestRail} under a per-payment maximum and a
 * daily cap; and {@code ceiling}: plain OkHttp sending credentials made ahead of time for fresh
 * challenges, which measures what the server sustains when the client costs next to nothing.
 *
 * <p>Arguments: {@code client url callers calls warmup secret [ledger=memory|sqlite]}.
 */
public final class JavaClientDriver {
  private static final String AGENT = "bench";

  private JavaClientDriver() {}

  /** One paid call; true when it ended in a 200. */
  @FunctionalInterface
  interface Call {
    boolean run(int index) throws IOException, InterruptedException;
  }

  /** Runs one measurement; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    String client = args[0];
    URI url = URI.create(args[1]);
    int callers = Integer.parseInt(args[2]);
    int calls = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    String secret = args[5];
    String ledgerKind = args.length > 6 ? args[6] : "memory";
    Path dir = Files.createTempDirectory("mpp-e2e");
    LedgerStore ledger =
        ledgerKind.equals("sqlite")
            ? SqliteLedgerStore.open(dir.resolve("ledger.db"))
            : new InMemoryLedgerStore();
    Wallet wallet =
        Wallet.builder()
            .ledger(ledger)
            .rail(HmacTestRail.of(secret))
            .agent(AGENT, Policy.builder().maxPerPayment("1.00").cap(Window.DAY, "1000000").build())
            .build();
    Call call =
        switch (client) {
          case "okhttp" -> okhttp(wallet, url, callers);
          case "jdk" -> jdk(wallet, url);
          case "ceiling" -> ceiling(url, callers, warmup + calls, HmacTestRail.of(secret));
          default -> throw new IllegalArgumentException("unknown client " + client);
        };
    Phase warm = Phase.run(call, callers, 0, warmup);
    Phase measured = Phase.run(call, callers, warmup, calls);
    System.out.printf(
        Locale.ROOT,
        "{\"client\":\"%s\",\"callers\":%d,\"calls\":%d,\"errors\":%d,\"wallSeconds\":%.6f,"
            + "\"cpuSeconds\":%.6f,\"warmupErrors\":%d,\"firstError\":%s}%n",
        client,
        callers,
        calls,
        measured.errors,
        measured.wallNanos / 1e9,
        measured.cpuNanos / 1e9,
        warm.errors,
        measured.firstError == null ? "null" : quote(measured.firstError));
    System.out.flush();
    wallet.close();
    System.exit(0);
  }

  private static Call okhttp(Wallet wallet, URI url, int callers) {
    OkHttpClient http =
        new OkHttpClient.Builder()
            // One kept-alive connection per caller, like undici's pool under Node's fetch.
            .connectionPool(new ConnectionPool(Math.max(5, callers * 2), 5, TimeUnit.MINUTES))
            .addInterceptor(MppInterceptor.builder(wallet).agent(AGENT).build())
            .build();
    Request request = new Request.Builder().url(url.toString()).build();
    return index -> {
      try (Response response = http.newCall(request).execute()) {
        response.body().bytes();
        return response.code() == 200;
      }
    };
  }

  private static Call jdk(Wallet wallet, URI url) {
    HttpClient http =
        MppHttpClient.builder(
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), wallet)
            .agent(AGENT)
            .build();
    HttpRequest request = HttpRequest.newBuilder(url).GET().build();
    return index -> http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
  }

  /**
   * Fetches {@code total} fresh challenges and makes their credentials now; each call then asks for
   * the resource (402, as every paying client does first) and sends the next credential.
   */
  private static Call ceiling(URI url, int callers, int total, HmacTestRail rail)
      throws IOException {
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectionPool(new ConnectionPool(Math.max(5, callers * 2), 5, TimeUnit.MINUTES))
            .build();
    Request unpaid = new Request.Builder().url(url.toString()).build();
    Request[] paid = new Request[total];
    for (int i = 0; i < total; i++) {
      String header;
      try (Response response = http.newCall(unpaid).execute()) {
        response.body().bytes();
        header = response.header("WWW-Authenticate");
      }
      Challenge challenge = Challenge.parse(header);
      ObjectNode payload =
          JsonNodeFactory.instance.objectNode().put("mac", rail.mac(challenge.id()));
      paid[i] =
          unpaid
              .newBuilder()
              .header("Authorization", Credential.of(challenge, payload, null).toHeaderValue())
              .build();
    }
    return index -> {
      try (Response first = http.newCall(unpaid).execute()) {
        first.body().bytes();
        if (first.code() != 402) {
          return false;
        }
      }
      try (Response response = http.newCall(paid[index]).execute()) {
        response.body().bytes();
        return response.code() == 200;
      }
    };
  }

  private static String quote(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + '"';
  }

  /** One phase: {@code count} calls shared by {@code callers} threads. */
  private record Phase(long wallNanos, long cpuNanos, int errors, String firstError) {

    static Phase run(Call call, int callers, int offset, int count) throws InterruptedException {
      AtomicInteger next = new AtomicInteger();
      AtomicInteger errors = new AtomicInteger();
      AtomicReference<String> firstError = new AtomicReference<>();
      ConcurrentLinkedQueue<Throwable> crashes = new ConcurrentLinkedQueue<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < callers; t++) {
        threads.add(
            new Thread(
                () -> {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    try {
                      if (!call.run(offset + i)) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, "non-200 response");
                      }
                    } catch (IOException | RuntimeException e) {
                      errors.incrementAndGet();
                      firstError.compareAndSet(null, e.toString());
                    } catch (InterruptedException e) {
                      crashes.add(e);
                      return;
                    }
                  }
                },
                "caller-" + t));
      }
      long cpu = processCpuNanos();
      long start = System.nanoTime();
      threads.forEach(Thread::start);
      for (Thread thread : threads) {
        thread.join();
      }
      long wall = System.nanoTime() - start;
      cpu = processCpuNanos() - cpu;
      if (!crashes.isEmpty()) {
        throw new IllegalStateException("caller interrupted", crashes.peek());
      }
      return new Phase(wall, cpu, errors.get(), firstError.get());
    }

    private static long processCpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean)
              ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }
  }
}
