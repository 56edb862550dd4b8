package dev.mpp.testkit.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentResult;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.ledger.jdbc.SqliteLedgerStore;
import dev.mpp.rail.tempo.TempoChargeRail;
import dev.mpp.rail.tempo.TempoConfig;
import dev.mpp.rail.tempo.TempoMode;
import dev.mpp.rail.tempo.session.InMemoryChannelStore;
import dev.mpp.rail.tempo.session.JdbcChannelStore;
import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.testkit.stack.LocalChain;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.testkit.stack.ServerRoute;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Per-request cost of a voucher-paid request against a charge-paid and an unpaid one, on the same
 * local reference server, with the reference client's figure for the same session route. A
 * benchmark, not a test:
 *
 * <pre>
 * mvn -B -ntp -o -pl mpp-testkit -am -Psession-benchmark process-test-classes
 *     [-Dsession.bench.requests=50]
 * </pre>
 *
 * <p>Latency is the median wall time of sequential requests after warm-up; client CPU is the
 * process CPU time (all threads: HTTP client, ledger writer, GC) divided by the requests, and the
 * calling thread's own CPU time. Voucher-paid requests are measured after the channel is open; the
 * open (an on-chain transaction the server waits for) is reported separately.
 */
public final class SessionBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SessionBenchmark() {}

  /** Measured figures of one series. */
  record Series(String name, int requests, double medianMs, double cpuMs, double threadCpuMs) {}

  /** One series under measurement: its name and one request. */
  private record Runner(String name, Call call, List<Double> latencies, long[] cpu) {
    Runner(String name, Call call) {
      this(name, call, new ArrayList<>(), new long[2]);
    }
  }

  /**
   * Runs the benchmark; the only argument is the number of measured requests per session series.
   * Series run interleaved, a few requests each per round, so that load changes on a shared machine
   * hit every series alike.
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Path dir = Files.createTempDirectory("mpp-session-bench");
    List<AutoCloseable> open = new ArrayList<>();
    try (LocalStack stack = LocalStack.start()) {
      URI free = stack.url(ServerRoute.FREE);
      URI session = stack.url(ServerRoute.TEMPO_SESSION);
      URI charge = stack.url(ServerRoute.TEMPO_CHARGE);
      Policy policy = Policy.builder().maxLockable("5").build();
      DevAccount payer = DevAccount.get(2);

      SessionFixture durable =
          SessionFixture.open(
              dir.resolve("full.db"),
              stack.rpcUrl(),
              stack.server().escrow(),
              payer,
              "full",
              policy,
              true);
      SessionFixture normal =
          SessionFixture.open(
              SqliteLedgerStore.builder(dir.resolve("normal.db"))
                  .synchronous(SqliteLedgerStore.Synchronous.NORMAL)
                  .open(),
              JdbcChannelStore.sqlite(
                  dir.resolve("normal.db"), SqliteLedgerStore.Synchronous.NORMAL),
              stack.rpcUrl(),
              stack.server().escrow(),
              payer,
              "normal",
              policy,
              true);
      SessionFixture memory =
          SessionFixture.open(
              new InMemoryLedgerStore(),
              new InMemoryChannelStore(),
              stack.rpcUrl(),
              stack.server().escrow(),
              payer,
              "memory",
              policy,
              true);
      SessionFixture probe =
          SessionFixture.open(
              dir.resolve("probe.db"),
              stack.rpcUrl(),
              stack.server().escrow(),
              payer,
              "probe",
              policy,
              false);
      open.addAll(List.of(durable, normal, memory, probe));
      FlowGet fullClient = client(durable.wallet(), "full");
      long started = System.nanoTime();
      paid(fullClient.get(session));
      double openMs = (System.nanoTime() - started) / 1e6;
      FlowGet normalClient = client(normal.wallet(), "normal");
      FlowGet memoryClient = client(memory.wallet(), "memory");
      FlowGet probeClient = client(probe.wallet(), "probe");
      for (FlowGet c : List.of(normalClient, memoryClient, probeClient)) {
        paid(c.get(session));
      }

      SqliteLedgerStore chargeLedger = SqliteLedgerStore.open(dir.resolve("charge.db"));
      TempoChargeRail rail =
          TempoChargeRail.builder(
                  TempoConfig.builder(LocalChain.CHAIN_ID)
                      .asset(EvmAddress.parse(LocalChain.PATH_USD))
                      .modes(TempoMode.PULL)
                      .build(),
                  PrivateKeySigner.of(DevAccount.get(7).privateKeyHex().toCharArray()))
              .rpc(JsonRpcClient.create(stack.rpcUrl()))
              .build();
      Wallet chargeWallet =
          Wallet.builder()
              .ledger(chargeLedger)
              .rail(rail)
              .agent("bench", Policy.unlimited())
              .build();
      open.add(chargeWallet);
      FlowGet chargeClient = client(chargeWallet, "bench");

      List<Runner> runners =
          List.of(
              new Runner(
                  "unpaid (/free through the paying client)",
                  () -> expect(200, fullClient.getUnpaid(free).statusCode())),
              new Runner(
                  "session voucher, one round trip (up front), SQLite FULL (default)",
                  () -> paid(fullClient.get(session))),
              new Runner(
                  "session voucher, one round trip, SQLite synchronous=NORMAL",
                  () -> paid(normalClient.get(session))),
              new Runner(
                  "session voucher, one round trip, in-memory stores",
                  () -> paid(memoryClient.get(session))),
              new Runner(
                  "session voucher, two round trips (402 probe), SQLite FULL",
                  () -> paid(probeClient.get(session))));
      Runner chargeRunner =
          new Runner(
              "charge (pull: signed 0x76 transfer, server broadcasts and waits for the block)",
              () -> paid(chargeClient.get(charge)));
      int perRound = 5;
      for (Runner runner : runners) {
        for (int i = 0; i < perRound; i++) {
          runner.call().run(); // warm-up
        }
      }
      for (int round = 0; round < Math.max(1, requests / perRound); round++) {
        for (Runner runner : runners) {
          measure(runner, perRound);
        }
        if (round % 5 == 0) {
          measure(chargeRunner, 1);
        }
      }
      List<Series> results = new ArrayList<>();
      for (Runner runner : runners) {
        results.add(series(runner));
      }
      results.add(series(chargeRunner));
      for (SessionFixture fixture : List.of(durable, normal, memory, probe)) {
        fixture.rail().closeAll(null);
      }
      JsonNode reference = referenceClient(stack, requests + 1);
      print(results, openMs, reference);
    } finally {
      for (AutoCloseable closeable : open) {
        closeable.close();
      }
    }
  }

  private static FlowGet client(Wallet wallet, String agent) {
    return new FlowGet(PaymentFlow.builder(wallet).agent(agent).build());
  }

  @FunctionalInterface
  private interface Call {
    void run() throws Exception;
  }

  private static void measure(Runner runner, int requests) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long thread0 = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < requests; i++) {
      long started = System.nanoTime();
      runner.call().run();
      runner.latencies().add((System.nanoTime() - started) / 1e6);
    }
    runner.cpu()[0] += os.getProcessCpuTime() - cpu0;
    runner.cpu()[1] += threads.getCurrentThreadCpuTime() - thread0;
  }

  private static Series series(Runner runner) {
    List<Double> sorted = new ArrayList<>(runner.latencies());
    Collections.sort(sorted);
    int n = sorted.size();
    return new Series(
        runner.name(), n, sorted.get(n / 2), runner.cpu()[0] / 1e6 / n, runner.cpu()[1] / 1e6 / n);
  }

  private static void paid(PaymentResult<HttpResponse<byte[]>> result) {
    expect(200, result.response().statusCode());
    if (result.paymentRecord().isEmpty()) {
      throw new IllegalStateException("expected a payment");
    }
  }

  private static void expect(int expected, int status) {
    if (status != expected) {
      throw new IllegalStateException("expected HTTP " + expected + ", got " + status);
    }
  }

  /** mppx 0.6.31's own session client on the same route (examples/mpp-server/session-smoke.mjs). */
  private static JsonNode referenceClient(LocalStack stack, int requests) throws Exception {
    Path serverDir = Path.of("examples", "mpp-server");
    for (Path base = Path.of("").toAbsolutePath(); base != null; base = base.getParent()) {
      if (Files.exists(base.resolve("examples/mpp-server/session-smoke.mjs"))) {
        serverDir = base.resolve("examples/mpp-server");
        break;
      }
    }
    Path output = Files.createTempFile("session-smoke", ".log");
    Process process =
        new ProcessBuilder(
                "node",
                "session-smoke.mjs",
                "--server",
                stack.server().baseUrl().toString(),
                "--rpc-url",
                stack.rpcUrl().toString(),
                "--escrow",
                stack.server().escrow(),
                "--requests",
                Integer.toString(requests),
                "--deposit",
                "1",
                "--payer-key",
                DevAccount.get(3).privateKeyHex())
            .directory(serverDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(
          "reference client failed: " + Files.readString(output, StandardCharsets.UTF_8));
    }
    JsonNode last = null;
    for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
      if (line.startsWith("{")) {
        last = JSON.readTree(line);
      }
    }
    return last;
  }

  private static void print(List<Series> results, double openMs, JsonNode reference) {
    System.out.println();
    System.out.println(
        "| request | n | median latency (ms) | client CPU / request, process (ms) |"
            + " calling thread (ms) |");
    System.out.println("| --- | ---: | ---: | ---: | ---: |");
    for (Series s : results) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %.2f | %.2f | %.2f |%n",
          s.name(),
          s.requests(),
          s.medianMs(),
          s.cpuMs(),
          s.threadCpuMs());
    }
    System.out.printf(
        Locale.ROOT,
        "| mppx 0.6.31 session client (Node), voucher | %d | %.2f | %.2f | – |%n",
        reference.path("requests").asInt() - 1,
        reference.path("medianVoucherMs").asDouble(),
        reference.path("cpuMsPerVoucher").asDouble());
    System.out.printf(
        Locale.ROOT,
        "%nopen (deposit on chain, first request): this SDK %.0f ms, mppx %.0f ms%n",
        openMs,
        reference.path("openMs").asDouble());
  }
}
