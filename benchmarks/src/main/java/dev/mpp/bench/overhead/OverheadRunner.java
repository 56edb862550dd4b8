package dev.mpp.bench.overhead;

import dev.mpp.bench.Machine;
import dev.mpp.bench.Report;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link ClientOverheadBenchmark} twice — average time (µs/op) and throughput (ops/s) — and
 * prints each path next to its floor: {@code authorization} against one signature plus one reserve,
 * {@code paidRequest} against one signature plus one reserve + commit. The goal is a ratio of at
 * most 1.5.
 */
public final class OverheadRunner {

  private OverheadRunner() {}

  /** Runs the benchmark; {@code smoke} runs one short iteration of each in-process. */
  public static void run(boolean smoke, Report report) throws RunnerException {
    report.line("== 1. client overhead per paid request (JMH, no network)");
    report.line(Machine.describe());
    Map<String, Statistics> avg =
        run(ClientOverheadBenchmark.class, Mode.AverageTime, TimeUnit.MICROSECONDS, smoke);
    Map<String, Statistics> thr =
        run(ClientOverheadBenchmark.class, Mode.Throughput, TimeUnit.SECONDS, smoke);
    report.line(
        "benchmark                        store    µs/op median (min–max)      ops/s median"
            + " (min–max)");
    for (String key : avg.keySet().stream().sorted().toList()) {
      report.line(
          String.format(
              Locale.ROOT,
              "%-32s %-8s %-28s %s",
              key.substring(0, key.indexOf('|')),
              key.substring(key.indexOf('|') + 1),
              format(avg.get(key), 1),
              thr.containsKey(key) ? format(thr.get(key), 0) : "-"));
    }
    Map<String, Statistics> history =
        run(LedgerHistoryBenchmark.class, Mode.AverageTime, TimeUnit.MICROSECONDS, smoke);
    report.line(
        "ledger reserve+commit under a daily cap vs records already in the window"
            + " (LedgerHistoryBenchmark), µs/op median (min–max):");
    for (String key : history.keySet().stream().sorted().toList()) {
      report.line("  " + key.replace('|', ' ') + " records: " + format(history.get(key), 1));
    }
    double sign = median(avg, "floorSignature", "");
    for (String store : new String[] {"memory", "sqlite"}) {
      double reserve = median(avg, "floorLedgerReserve", store);
      double reserveCommit = median(avg, "floorLedgerReserveCommit", store);
      double authorization = median(avg, "authorization", store);
      double paid = median(avg, "paidRequest", store);
      report.line(
          String.format(
              Locale.ROOT,
              "%s: authorization %.1f µs / (signature %.1f + reserve %.1f) = %.2f×;"
                  + " paidRequest %.1f µs / (signature %.1f + reserve+commit %.1f) = %.2f×"
                  + " (goal ≤ 1.5×)",
              store,
              authorization,
              sign,
              reserve,
              authorization / (sign + reserve),
              paid,
              sign,
              reserveCommit,
              paid / (sign + reserveCommit)));
    }
  }

  private static String format(Statistics s, int decimals) {
    String f = "%." + decimals + "f";
    return String.format(
        Locale.ROOT, f + " (" + f + "–" + f + ")", s.getPercentile(50), s.getMin(), s.getMax());
  }

  private static double median(Map<String, Statistics> results, String benchmark, String store) {
    Statistics s = results.get(benchmark + "|" + store);
    return s == null ? Double.NaN : s.getPercentile(50);
  }

  private static Map<String, Statistics> run(
      Class<?> benchmark, Mode mode, TimeUnit unit, boolean smoke) throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(benchmark.getName() + "\\.")
            .mode(mode)
            .timeUnit(unit)
            .shouldFailOnError(true)
            .verbosity(smoke ? VerboseMode.SILENT : VerboseMode.NORMAL);
    if (smoke) {
      options
          .forks(0)
          .warmupIterations(1)
          .warmupTime(TimeValue.milliseconds(100))
          .measurementIterations(1)
          .measurementTime(TimeValue.milliseconds(100));
      if (benchmark == LedgerHistoryBenchmark.class) {
        options.param("history", "0", "1000");
      }
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    Map<String, Statistics> byKey = new HashMap<>();
    for (RunResult result : results) {
      BenchmarkParams params = result.getParams();
      String name = params.getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      String store = params.getParamsKeys().contains("store") ? params.getParam("store") : "";
      if (params.getParamsKeys().contains("history")) {
        name = store;
        store = params.getParam("history");
      }
      byKey.put(name + "|" + store, result.getPrimaryResult().getStatistics());
    }
    return byKey;
  }
}
