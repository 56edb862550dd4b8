package dev.mpp.testkit.bench;

import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentListener;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Challenges;
import dev.mpp.testkit.scenario.FakePayer;
import dev.mpp.testkit.scenario.Paywall;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.testing.HmacTestRail;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ServerSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Measures what paying adds to a request on loopback, for one adapter. Four series, each the median
 * of {@code iterations} sequential calls after as many warm-up calls:
 *
 * <ul>
 *   <li><b>plain</b>: a free resource through the bare client;
 *   <li><b>two round trips</b>: a bare 402 then a free resource (the protocol's own cost);
 *   <li><b>unpaid via adapter</b>: a free resource through the paying client;
 *   <li><b>paid via adapter</b>: 402, choose, reserve in the wallet's ledger, sign, retry, verify,
 *       commit the receipt.
 * </ul>
 *
 * <p>The added latency per paid request is {@code paid - plain}. Of that, {@code paid - two round
 * trips} is what goes beyond the protocol's extra round trip: the SDK's work (parse, choose,
 * reserve, sign, commit) plus the server's fresh challenge and credential check. A benchmark, not a
 * test.
 */
public final class PaidLatency {

  /** One GET through a client: returns the status after reading the whole body. */
  @FunctionalInterface
  public interface Get {
    /** Performs the GET. */
    int get(URI url) throws Exception;
  }

  private PaidLatency() {}

  /** A wallet that pays the benchmark server without limits, in memory. */
  public static Wallet wallet() {
    return Wallet.builder()
        .ledger(new InMemoryLedgerStore())
        .rail(HmacTestRail.of(FakePayer.SECRET))
        .agent("bench", Policy.unlimited())
        .build();
  }

  /**
   * Quiets SLF4J: call first in a benchmark's {@code main}, before anything logs (test resources
   * configure trace logging for the log-capture scenario).
   */
  public static void quietLogs() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
  }

  /**
   * Times the flow's own work between the two round trips of a paid request: parse the challenges,
   * let the wallet choose, reserve and sign, encode the credential. Give it to the paying client as
   * its {@code listener}.
   */
  public static final class SigningTimer implements PaymentListener {
    private final ThreadLocal<Long> start = new ThreadLocal<>();
    private final List<Long> samples = new CopyOnWriteArrayList<>();

    @Override
    public void challengesReceived(PaymentContext context, Challenges challenges) {
      start.set(System.nanoTime());
    }

    @Override
    public void credentialCreated(PaymentContext context, Challenge challenge) {
      samples.add(System.nanoTime() - start.get());
    }

    long median(int last) {
      long[] recent =
          samples.subList(samples.size() - last, samples.size()).stream()
              .mapToLong(Long::longValue)
              .sorted()
              .toArray();
      return recent[recent.length / 2];
    }
  }

  /** Runs the four series and prints them to {@code out}. */
  public static void run(
      String adapter, Get plain, Get paying, SigningTimer timer, int iterations, PrintStream out)
      throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(new BenchDispatcher());
      server.setServerSocketFactory(new NoDelaySockets());
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      URI free = server.url("/free").uri();
      URI challenge = server.url("/challenge").uri();
      Get twoTrips =
          url -> {
            expect(402, plain.get(challenge));
            return plain.get(free);
          };
      int[] n = {0};
      Call[] series = {
        () -> expect(200, plain.get(free)),
        () -> expect(200, twoTrips.get(free)),
        () -> expect(200, paying.get(free)),
        () -> expect(200, paying.get(server.url("/paid/" + n[0]++).uri()))
      };
      long[] medians = medians(iterations, series);
      long plainNanos = medians[0];
      long twoTripNanos = medians[1];
      long unpaidNanos = medians[2];
      long paidNanos = medians[3];
      out.printf("%s adapter, loopback, median of %d calls each%n", adapter, iterations);
      out.printf("  plain request            %8.1f us%n", plainNanos / 1e3);
      out.printf("  402 + plain request      %8.1f us%n", twoTripNanos / 1e3);
      out.printf("  unpaid via adapter       %8.1f us%n", unpaidNanos / 1e3);
      out.printf("  paid via adapter         %8.1f us%n", paidNanos / 1e3);
      out.printf(
          "  added per paid request   %8.1f us (%.1f us beyond the 402 round trip)%n",
          (paidNanos - plainNanos) / 1e3, (paidNanos - twoTripNanos) / 1e3);
      out.printf(
          "  of which choose, reserve, sign (flow + wallet) %.1f us%n",
          timer.median(iterations) / 1e3);
    }
  }

  private static int expect(int status, int actual) {
    if (status != actual) {
      throw new IllegalStateException("expected HTTP " + status + " but got " + actual);
    }
    return actual;
  }

  private interface Call {
    void run() throws Exception;
  }

  /**
   * Runs the series round-robin (so that JIT warm-up and machine load hit them alike), first {@code
   * iterations} rounds to warm up, then {@code iterations} measured rounds.
   */
  private static long[] medians(int iterations, Call... series) throws Exception {
    for (int i = 0; i < iterations; i++) {
      for (Call call : series) {
        call.run();
      }
    }
    long[][] samples = new long[series.length][iterations];
    for (int i = 0; i < iterations; i++) {
      for (int s = 0; s < series.length; s++) {
        long start = System.nanoTime();
        series[s].run();
        samples[s][i] = System.nanoTime() - start;
      }
    }
    long[] medians = new long[series.length];
    for (int s = 0; s < series.length; s++) {
      Arrays.sort(samples[s]);
      medians[s] = samples[s][iterations / 2];
    }
    return medians;
  }

  /**
   * Server sockets whose connections send small writes at once: MockWebServer writes headers and
   * body separately, and Nagle's algorithm against delayed ACKs would add ~40 ms to every response.
   */
  private static final class NoDelaySockets extends ServerSocketFactory {
    @Override
    public ServerSocket createServerSocket() throws IOException {
      return new ServerSocket() {
        @Override
        public Socket accept() throws IOException {
          Socket socket = super.accept();
          socket.setTcpNoDelay(true);
          return socket;
        }
      };
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      throw new UnsupportedOperationException();
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      throw new UnsupportedOperationException();
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
        throws IOException {
      throw new UnsupportedOperationException();
    }
  }

  /**
   * Free, always-402 and paid paths on one server, each as cheap as possible so that the series
   * differ by client work only: one static challenge, and a paid path that checks nothing (the
   * scenario suites check credentials).
   */
  private static final class BenchDispatcher extends Dispatcher {
    private final Challenge offer =
        Paywall.charge("bench-static", "test", "charge", "1", "usd")
            .expires(Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS))
            .build();
    private final String receipt = Paywall.receipt("bench-ref", offer.id());

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getUrl().encodedPath();
      // Responses are built per request: a response body can be written once.
      if (path.equals("/free")) {
        return new MockResponse.Builder().body("free").build();
      }
      if (path.startsWith("/paid/") && request.getHeaders().get("Authorization") != null) {
        return new MockResponse.Builder()
            .setHeader("Payment-Receipt", receipt)
            .body("paid")
            .build();
      }
      return Paywall.paymentRequired(offer);
    }
  }
}
