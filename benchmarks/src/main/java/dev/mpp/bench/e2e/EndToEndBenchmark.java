package dev.mpp.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * Paid requests per second end to end against one reference server (mppx 0.11.0, {@code
 * /test/charge}: HMAC credential, no chain), Java against the reference client, side by side in one
 * run: our OkHttp adapter, our JDK adapter, mppx's own client in Node, and the server's ceiling
 * (plain OkHttp with credentials made ahead of time). Each with 1 and with 8 concurrent callers,
 * alternating the clients round after round. Every client is a process of its own (so its CPU time
 * is its own) that stays up for the whole benchmark like a long-running agent, and warms up once,
 * alone, before the first round.
 *
 * <p>Settings: {@code -Dbench.e2e.calls=2000}, {@code -Dbench.e2e.warmup=2000}, {@code
 * -Dbench.e2e.rounds=5}, {@code -Dbench.e2e.callers=1,8}, {@code
 * -Dbench.e2e.clients=okhttp,jdk,mppx,ceiling}, {@code -Dbench.e2e.ledger=memory|sqlite}, {@code
 * -Dbench.e2e.policy=capped|per-payment}, {@code -Dbench.e2e.jvmArgs="-Xmx512m"} (the Java drivers'
 * JVM options), {@code -Dbench.e2e.warmupSeconds=10}, {@code -Dbench.e2e.maxWarmupSeconds=60}.
 */
public final class EndToEndBenchmark {
  private static final String REFERENCE = "mppx";
  private static final String CEILING = "ceiling";

  private EndToEndBenchmark() {}

  /** One run's result line. */
  record Run(
      String client,
      int callers,
      int calls,
      int errors,
      double wall,
      double cpu,
      double callerCpu,
      double jit,
      double gc) {
    static Run of(JsonNode result) {
      return new Run(
          result.path("client").asText(),
          result.path("callers").asInt(),
          result.path("calls").asInt(),
          result.path("errors").asInt(),
          result.path("wallSeconds").asDouble(),
          result.path("cpuSeconds").asDouble(),
          result.path("callerCpuSeconds").asDouble(Double.NaN),
          result.path("jitSeconds").asDouble(Double.NaN),
          result.path("gcSeconds").asDouble(Double.NaN));
    }

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
    // Warm-up: at least this many calls, then (Java) until the JIT is quiet; see JavaClientDriver.
    int warmup = Integer.getInteger("bench.e2e.warmup", smoke ? 50 : 2_000);
    if (smoke) {
      System.setProperty("bench.e2e.warmupSeconds", "0");
      System.setProperty("bench.e2e.maxWarmupSeconds", "0");
    }
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
    String policy = System.getProperty("bench.e2e.policy", "capped");
    report.line("== 2. paid requests per second end to end (reference server /test/charge)");
    report.line(Machine.describe());
    report.line(
        String.format(
            Locale.ROOT,
            "N = %d measured paid calls per run after %d warm-up calls; %d round(s); callers %s;"
                + " Java wallet: %s ledger, %s policy; node %s",
            calls,
            warmup,
            rounds,
            callerCounts,
            ledger,
            policy,
            nodeVersion()));
    List<Run> runs = new ArrayList<>();
    try (LocalStack stack = LocalStack.start()) {
      URI url = stack.url(ServerRoute.TEST_CHARGE);
      report.line("server " + url + " (mppx 0.11.0, node, one process)");
      List<Driver> drivers = new ArrayList<>();
      try {
        for (String client : clients) {
          drivers.add(
              Driver.start(
                  client,
                  command(client, url, calls, ledger, policy),
                  Map.of(
                      "BENCH_WARMUP_SECONDS",
                      System.getProperty("bench.e2e.warmupSeconds", "10"))));
        }
        // One at a time, so that no warm-up competes with another for the two cores.
        for (Driver driver : drivers) {
          JsonNode warm = driver.send("warmup " + warmup);
          report.line(
              String.format(
                  Locale.ROOT,
                  "warm-up %-8s %d paid calls in %.1f s",
                  driver.name(),
                  warm.path("warmupCalls").asInt(),
                  warm.path("warmupSeconds").asDouble()));
        }
        for (int round = 1; round <= rounds; round++) {
          for (int callers : callerCounts) {
            for (Driver driver : drivers) {
              Run run = Run.of(driver.send("run " + callers + " " + calls));
              runs.add(run);
              report.line(round(round, run));
            }
          }
        }
      } finally {
        drivers.forEach(Driver::close);
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

  private static String round(int round, Run run) {
    return String.format(
        Locale.ROOT,
        "round %d %-8s callers %d: %7.0f paid calls/s, %6.3f CPU s, %7.0f calls per CPU s%s",
        round,
        run.client(),
        run.callers(),
        run.perSecond(),
        run.cpu(),
        run.perCpuSecond(),
        Double.isNaN(run.callerCpu())
            ? ""
            : String.format(
                Locale.ROOT,
                " (caller threads %.3f s, JIT %.3f s, GC %.3f s)",
                run.callerCpu(),
                run.jit(),
                run.gc()));
  }

  private static List<String> command(
      String client, URI url, int credentials, String ledger, String policy) {
    if (client.equals(REFERENCE)) {
      Path script = RepoRoot.find().resolve("benchmarks/src/main/node/mppx-client.mjs");
      return List.of(
          RepoRoot.node(),
          script.toString(),
          "--server-dir",
          RepoRoot.serverDir().toString(),
          "--url",
          url.toString(),
          "--secret",
          LocalMppServer.DEFAULT_TEST_SECRET);
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    for (String arg : System.getProperty("bench.e2e.jvmArgs", "-Xmx512m").split("\\s+")) {
      if (!arg.isBlank()) {
        command.add(arg);
      }
    }
    for (String property : List.of("bench.e2e.warmupSeconds", "bench.e2e.maxWarmupSeconds")) {
      if (System.getProperty(property) != null) {
        command.add("-D" + property + "=" + System.getProperty(property));
      }
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            JavaClientDriver.class.getName(),
            client,
            url.toString(),
            LocalMppServer.DEFAULT_TEST_SECRET,
            ledger,
            policy,
            Integer.toString(credentials)));
    return command;
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
