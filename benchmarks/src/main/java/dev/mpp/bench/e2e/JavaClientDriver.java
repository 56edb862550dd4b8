package dev.mpp.bench.e2e;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.jdk.MppHttpClient;
import dev.mpp.ledger.jdbc.SqliteLedgerStore;
import dev.mpp.okhttp.MppInterceptor;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.HmacTestRail;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A Java client of the end-to-end benchmark, in a JVM of its own so that its process CPU time is
 * its own. It stays up for the whole benchmark, like a long-running agent, and answers commands on
 * stdin with one JSON line each on stdout:
 *
 * <ul>
 *   <li>{@code warmup <minCalls>}: paid calls until the JIT is quiet (see {@link Warmup});
 *   <li>{@code run <callers> <calls>}: {@code calls} paid calls shared by {@code callers} threads,
 *       through a fresh wallet and client (the ledger starts empty for every run, the JIT stays
 *       warm); reports wall time and the process CPU time of the run, with the caller threads' own
 *       CPU time and the JIT and GC times for diagnosis;
 *   <li>{@code quit}.
 * </ul>
 *
 * <p>Clients: {@code okhttp} ({@link MppInterceptor}), {@code jdk} ({@link MppHttpClient}), both
 * paying from a {@link Wallet} with the {@link HmacTestRail}; and {@code ceiling}: plain OkHttp
 * sending credentials made ahead of time for fresh challenges, which measures what the server
 * sustains when the client costs next to nothing.
 *
 * <p>Arguments: {@code client url secret [ledger=memory|sqlite] [policy=capped|per-payment]
 * [credentials=2000]}. Policies: {@code capped} is a per-payment maximum and a daily cap (each
 * reservation sums the day's spend); {@code per-payment} the maximum only, which isolates the
 * store's window check.
 */
public final class JavaClientDriver {
  private static final String AGENT = "bench";
  private static final int MAX_CALLERS = 16;

  private final String client;
  private final URI url;
  private final HmacTestRail rail;
  private final String ledgerKind;
  private final String policy;
  private final Path dir;
  private final Call ceiling;
  private Wallet wallet;
  private int wallets;

  private JavaClientDriver(String[] args) throws IOException {
    this.client = args[0];
    this.url = URI.create(args[1]);
    this.rail = HmacTestRail.of(args[2]);
    this.ledgerKind = args.length > 3 ? args[3] : "memory";
    this.policy = args.length > 4 ? args[4] : "capped";
    int credentials = args.length > 5 ? Integer.parseInt(args[5]) : 2_000;
    this.dir = Files.createTempDirectory("mpp-e2e");
    this.ceiling = client.equals("ceiling") ? ceiling(url, credentials, rail) : null;
  }

  /** One paid call; true when it ended in a 200. */
  @FunctionalInterface
  interface Call {
    boolean run(int index) throws IOException, InterruptedException;
  }

  /** Serves commands; see the class comment. */
  public static void main(String[] args) throws Exception {
    JavaClientDriver driver = new JavaClientDriver(args);
    System.out.println("{\"ready\":true}");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] command = line.trim().split("\\s+");
      switch (command[0]) {
        case "warmup" -> driver.warmup(Integer.parseInt(command[1]));
        case "run" -> driver.run(Integer.parseInt(command[1]), Integer.parseInt(command[2]));
        case "quit" -> {
          driver.closeWallet();
          System.exit(0);
        }
        default -> throw new IllegalArgumentException("unknown command " + line);
      }
      System.out.flush();
    }
    driver.closeWallet();
    System.exit(0);
  }

  private void warmup(int minCalls) throws IOException, InterruptedException {
    Warmup warm = Warmup.run(this::freshCall, minCalls);
    System.out.printf(
        Locale.ROOT,
        "{\"warmupCalls\":%d,\"warmupSeconds\":%.1f,\"errors\":%d,\"firstError\":%s}%n",
        warm.calls,
        warm.seconds,
        warm.errors,
        quote(warm.firstError));
  }

  private void run(int callers, int calls) throws IOException, InterruptedException {
    Phase measured = Phase.run(freshCall(), callers, calls);
    System.out.printf(
        Locale.ROOT,
        "{\"client\":\"%s\",\"callers\":%d,\"calls\":%d,\"errors\":%d,\"wallSeconds\":%.6f,"
            + "\"cpuSeconds\":%.6f,\"callerCpuSeconds\":%.6f,\"jitSeconds\":%.3f,"
            + "\"gcSeconds\":%.3f,\"firstError\":%s}%n",
        client,
        callers,
        calls,
        measured.errors,
        measured.wallNanos / 1e9,
        measured.cpuNanos / 1e9,
        measured.callerCpuNanos / 1e9,
        measured.jitMillis / 1e3,
        measured.gcMillis / 1e3,
        quote(measured.firstError));
  }

  /** A client over a fresh wallet (the previous one closed); the ceiling's single client. */
  private Call freshCall() throws IOException {
    if (ceiling != null) {
      return ceiling;
    }
    closeWallet();
    LedgerStore ledger =
        ledgerKind.equals("sqlite")
            ? SqliteLedgerStore.open(dir.resolve("ledger-" + wallets++ + ".db"))
            : new InMemoryLedgerStore();
    Policy.Builder limits = Policy.builder().maxPerPayment("1.00");
    if (!policy.equals("per-payment")) {
      limits.cap(Window.DAY, "1000000");
    }
    wallet = Wallet.builder().ledger(ledger).rail(rail).agent(AGENT, limits.build()).build();
    return switch (client) {
      case "okhttp" -> okhttp(wallet, url);
      case "jdk" -> jdk(wallet, url);
      default -> throw new IllegalArgumentException("unknown client " + client);
    };
  }

  private void closeWallet() {
    if (wallet != null) {
      wallet.close();
      wallet = null;
    }
  }

  private static OkHttpClient.Builder okHttp() {
    // Room for one kept-alive connection per caller, like undici's pool under Node's fetch.
    return new OkHttpClient.Builder()
        .connectionPool(new ConnectionPool(MAX_CALLERS, 5, TimeUnit.MINUTES));
  }

  private static Call okhttp(Wallet wallet, URI url) {
    OkHttpClient http =
        okHttp().addInterceptor(MppInterceptor.builder(wallet).agent(AGENT).build()).build();
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
   * the resource (402, as every paying client does first) and sends the next credential. The test
   * method's mac is not single-use, so later runs reuse the credentials in turn.
   */
  private static Call ceiling(URI url, int total, HmacTestRail rail) throws IOException {
    OkHttpClient http = okHttp().build();
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
      try (Response response = http.newCall(paid[index % total]).execute()) {
        response.body().bytes();
        return response.code() == 200;
      }
    };
  }

  private static String quote(String text) {
    return text == null
        ? "null"
        : '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + '"';
  }

  /** Makes a client for the next warm-up round. */
  @FunctionalInterface
  interface CallFactory {
    Call get() throws IOException;
  }

  /**
   * Warm-up until the JIT is quiet: at least {@code minCalls} calls and {@code
   * bench.e2e.warmupSeconds} (default 10) seconds, in rounds of 500 calls alternating 1 and 8
   * callers, then more rounds until two in a row in which compilation took under 5% of their time,
   * or {@code bench.e2e.maxWarmupSeconds} (default 60). On a busy 2-core machine C2 is still
   * compiling the paid path after thousands of calls; measuring then would count the compiler as
   * the client.
   */
  private record Warmup(int calls, double seconds, int errors, String firstError) {
    static Warmup run(CallFactory calls, int minCalls) throws IOException, InterruptedException {
      double minSeconds = Double.parseDouble(System.getProperty("bench.e2e.warmupSeconds", "10"));
      double maxSeconds =
          Double.parseDouble(System.getProperty("bench.e2e.maxWarmupSeconds", "60"));
      long begin = System.nanoTime();
      int done = 0;
      int errors = 0;
      String firstError = null;
      int quietRounds = 0;
      int size = Math.max(1, Math.min(500, minCalls));
      for (int round = 0; ; round++) {
        Phase phase = Phase.run(calls.get(), round % 2 == 0 ? 1 : 8, size);
        done += size;
        errors += phase.errors;
        firstError = firstError != null ? firstError : phase.firstError;
        double elapsed = (System.nanoTime() - begin) / 1e9;
        quietRounds = phase.jitMillis < 0.05 * phase.wallNanos / 1e6 ? quietRounds + 1 : 0;
        if ((done >= minCalls && elapsed >= minSeconds && quietRounds >= 2)
            || elapsed >= maxSeconds) {
          return new Warmup(done, elapsed, errors, firstError);
        }
      }
    }
  }

  /** One phase: {@code count} calls shared by {@code callers} threads. */
  private record Phase(
      long wallNanos,
      long cpuNanos,
      long callerCpuNanos,
      long jitMillis,
      long gcMillis,
      int errors,
      String firstError) {

    static Phase run(Call call, int callers, int count) throws InterruptedException {
      AtomicInteger next = new AtomicInteger();
      AtomicInteger errors = new AtomicInteger();
      AtomicReference<String> firstError = new AtomicReference<>();
      AtomicLong callerCpu = new AtomicLong();
      ConcurrentLinkedQueue<Throwable> crashes = new ConcurrentLinkedQueue<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < callers; t++) {
        threads.add(
            new Thread(
                () -> {
                  long cpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    try {
                      if (!call.run(i)) {
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
                  callerCpu.addAndGet(
                      ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBefore);
                },
                "caller-" + t));
      }
      long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
      long gc = totalGcMillis();
      long cpu = processCpuNanos();
      long start = System.nanoTime();
      threads.forEach(Thread::start);
      for (Thread thread : threads) {
        thread.join();
      }
      long wall = System.nanoTime() - start;
      cpu = processCpuNanos() - cpu;
      jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit;
      gc = totalGcMillis() - gc;
      if (!crashes.isEmpty()) {
        throw new IllegalStateException("caller interrupted", crashes.peek());
      }
      return new Phase(wall, cpu, callerCpu.get(), jit, gc, errors.get(), firstError.get());
    }

    private static long totalGcMillis() {
      long total = 0;
      for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        total += Math.max(0, gc.getCollectionTime());
      }
      return total;
    }

    private static long processCpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean)
              ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }
  }
}
