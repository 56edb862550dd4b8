package dev.mpp.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.bench.Machine;
import dev.mpp.bench.RepoRoot;
import dev.mpp.bench.Report;
import dev.mpp.bench.Stats;
import dev.mpp.testkit.stack.LocalMppServer;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.testkit.stack.ServerRoute;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Paid requests per second end to end against one reference server (mppx 0.11.0, {@code
 * /test/charge}: HMAC credential, no chain), Java against the reference client, side by side in one
 * run: our OkHttp adapter, our JDK adapter, mppx's own client in Node, and the server's ceiling
 * (plain OkHttp with credentials made ahead of time). Each with 1 and with 8 concurrent callers,
 * alternating the clients round after round; each run is a fresh process (so its CPU time is its
 * own) that warms up before the measured calls.
 *
 * <p>Settings: {@code -Dbench.e2e.calls=2000}, {@code -Dbench.e2e.warmup=500}, {@code
 * -Dbench.e2e.rounds=5}, {@code -Dbench.e2e.callers=1,8}, {@code
 * -Dbench.e2e.clients=okhttp,jdk,mppx,ceiling}, {@code -Dbench.e2e.ledger=memory|sqlite}, {@code
 * -Dbench.e2e.jvmArgs="-Xmx512m"} (the Java drivers' JVM options).
 */
public final class EndToEndBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REFERENCE = "mppx";
  private static final String CEILING = "ceiling";

  private EndToEndBenchmark() {}

  /** One run's result line. */
  record Run(String client, int callers, int calls, int errors, double wall, double cpu) {
    double perSecond() {
      return calls / wall;
    }

    double perCpuSecond() {
      return calls / cpu;
    }
  }

  /** Starts the stack, runs every client in turn, and reports medians and ratios. */
  public static void run(boolean smoke, Report report) throws IOException, InterruptedException {
    int calls = Integer.getInteger("bench.e2e.calls", smoke ? 40 : 2_000);
    int warmup = Integer.getInteger("bench.e2e.warmup", smoke ? 10 : 500);
    int rounds = Integer.getInteger("bench.e2e.rounds", smoke ? 1 : 5);
    List<Integer> callerCounts =
        Arrays.stream(System.getProperty("bench.e2e.callers", "1,8").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    List<String> clients =
        Arrays.asList(
            System.getProperty("bench.e2e.clients", "okhttp,jdk,mppx," + CEILING).split(","));
    String ledger = System.getProperty("bench.e2e.ledger", "memory");
    report.line("== 2. paid requests per second end to end (reference server /test/charge)");
    report.line(Machine.describe());
    report.line(
        String.format(
            Locale.ROOT,
            "N = %d measured paid calls per run after %d warm-up calls; %d round(s); callers %s;"
                + " Java wallet ledger: %s; node %s",
            calls,
            warmup,
            rounds,
            callerCounts,
            ledger,
            nodeVersion()));
    List<Run> runs = new ArrayList<>();
    try (LocalStack stack = LocalStack.start()) {
      URI url = stack.url(ServerRoute.TEST_CHARGE);
      report.line("server " + url + " (mppx 0.11.0, node, one process)");
      for (int round = 1; round <= rounds; round++) {
        for (int callers : callerCounts) {
          for (String client : clients) {
            Run run = runOne(client.trim(), url, callers, calls, warmup, ledger);
            runs.add(run);
            report.line(
                String.format(
                    Locale.ROOT,
                    "round %d %-8s callers %d: %7.0f paid calls/s, %.3f CPU s, %7.0f calls per"
                        + " CPU s%s",
                    round,
                    run.client(),
                    callers,
                    run.perSecond(),
                    run.cpu(),
                    run.perCpuSecond(),
                    run.errors() == 0 ? "" : ", " + run.errors() + " ERRORS"));
          }
        }
      }
    }
    summarize(runs, callerCounts, clients, report);
    report.line("load average after: " + Machine.loadAverage());
  }

  private static void summarize(
      List<Run> runs, List<Integer> callerCounts, List<String> clients, Report report) {
    report.line(
        "client   callers  paid calls/s median (min–max)   calls per client CPU s median"
            + " (min–max)   ×mppx calls/s  ×mppx per CPU s  % of ceiling");
    for (int callers : callerCounts) {
      Map<String, Stats> rate = new LinkedHashMap<>();
      Map<String, Stats> efficiency = new LinkedHashMap<>();
      for (String client : clients) {
        List<Run> mine =
            runs.stream().filter(r -> r.client().equals(client) && r.callers() == callers).toList();
        if (mine.isEmpty()) {
          continue;
        }
        rate.put(client, Stats.of(mine.stream().map(Run::perSecond).toList()));
        efficiency.put(client, Stats.of(mine.stream().map(Run::perCpuSecond).toList()));
      }
      for (String client : rate.keySet()) {
        Stats r = rate.get(client);
        Stats e = efficiency.get(client);
        report.line(
            String.format(
                Locale.ROOT,
                "%-8s %7d  %-30s  %-38s  %13s  %15s  %12s",
                client,
                callers,
                r.format(0),
                e.format(0),
                ratio(r, rate.get(REFERENCE)),
                client.equals(CEILING) ? "-" : ratio(e, efficiency.get(REFERENCE)),
                rate.containsKey(CEILING)
                    ? String.format(
                        Locale.ROOT, "%.0f%%", 100 * r.median() / rate.get(CEILING).median())
                    : "-"));
      }
    }
    report.line(
        "goals: ≥ 3× mppx paid calls per client CPU second; within 10% of the ceiling at 8"
            + " callers");
  }

  private static String ratio(Stats value, Stats reference) {
    return reference == null
        ? "-"
        : String.format(Locale.ROOT, "%.2f×", value.median() / reference.median());
  }

  private static Run runOne(
      String client, URI url, int callers, int calls, int warmup, String ledger)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (client.equals(REFERENCE)) {
      Path script = RepoRoot.find().resolve("benchmarks/src/main/node/mppx-client.mjs");
      command.addAll(
          List.of(
              RepoRoot.node(),
              script.toString(),
              "--server-dir",
              RepoRoot.serverDir().toString(),
              "--url",
              url.toString(),
              "--callers",
              Integer.toString(callers),
              "--calls",
              Integer.toString(calls),
              "--warmup",
              Integer.toString(warmup),
              "--secret",
              LocalMppServer.DEFAULT_TEST_SECRET));
    } else {
      command.add(ProcessHandle.current().info().command().orElse("java"));
      for (String arg : System.getProperty("bench.e2e.jvmArgs", "-Xmx512m").split("\\s+")) {
        if (!arg.isBlank()) {
          command.add(arg);
        }
      }
      command.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              JavaClientDriver.class.getName(),
              client,
              url.toString(),
              Integer.toString(callers),
              Integer.toString(calls),
              Integer.toString(warmup),
              LocalMppServer.DEFAULT_TEST_SECRET,
              ledger));
    }
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(client + " run failed: " + output);
    }
    String line =
        output.lines().filter(l -> l.startsWith("{\"client\"")).reduce((a, b) -> b).orElse(null);
    if (line == null) {
      throw new IllegalStateException(client + " printed no result: " + output);
    }
    JsonNode result = JSON.readTree(line);
    int errors = result.path("errors").asInt() + result.path("warmupErrors").asInt();
    if (errors > 0) {
      // Figures of a run with failed calls measure the failures: refuse them.
      throw new IllegalStateException(
          client + " run had " + errors + " failed calls, first: " + result.path("firstError"));
    }
    return new Run(
        client,
        callers,
        result.path("calls").asInt(),
        result.path("errors").asInt(),
        result.path("wallSeconds").asDouble(),
        result.path("cpuSeconds").asDouble());
  }

  private static String nodeVersion() {
    try {
      Process process = new ProcessBuilder(RepoRoot.node(), "--version").start();
      String version =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      process.waitFor();
      return version;
    } catch (IOException e) {
      return "unavailable (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
