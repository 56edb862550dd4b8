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
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link ClientOverheadBenchmark} twice — average time (µs/op) and throughput (ops/s), both
 * with {@link CpuTimeProfiler} — then {@link LedgerHistoryBenchmark}, and prints each path next to
 * its floor: {@code authorization} against one signature plus one reserve, {@code paidRequest}
 * against one signature plus one reserve + commit. The goal is a ratio of at most 1.5, in wall
 * time; the CPU-time ratio is printed beside it because it is what stays put on a busy machine.
 */
public final class OverheadRunner {

  private OverheadRunner() {}

  /** Measured figures of one benchmark (and store): wall and CPU time per operation. */
  private record Figures(Statistics wall, Statistics cpu) {}

  /** Runs the benchmarks; {@code smoke} runs one short iteration of each in-process. */
  public static void run(boolean smoke, Report report) throws RunnerException {
    report.line("== 1. client overhead per paid request (JMH, no network)");
    report.line(Machine.describe());
    Map<String, Figures> avg =
        run(ClientOverheadBenchmark.class, Mode.AverageTime, TimeUnit.MICROSECONDS, smoke);
    Map<String, Figures> thr =
        run(ClientOverheadBenchmark.class, Mode.Throughput, TimeUnit.SECONDS, smoke);
    report.line("load average after the JMH runs: " + Machine.loadAverage());
    report.line(
        "benchmark                  store    wall µs/op median (min–max)   CPU µs/op median"
            + " (min–max)   ops/s median (min–max)");
    for (String key : avg.keySet().stream().sorted().toList()) {
      report.line(
          String.format(
              Locale.ROOT,
              "%-26s %-8s %-29s %-29s %s",
              key.substring(0, key.indexOf('|')),
              key.substring(key.indexOf('|') + 1),
              format(avg.get(key).wall(), 1),
              format(avg.get(key).cpu(), 1),
              thr.containsKey(key) ? format(thr.get(key).wall(), 0) : "-"));
    }
    for (String store : new String[] {"memory", "sqlite"}) {
      report.line(
          store
              + ": "
              + ratio(avg, store, "authorization", "floorLedgerReserve", "reserve")
              + "; "
              + ratio(avg, store, "paidRequest", "floorLedgerReserveCommit", "reserve+commit")
              + " (goal ≤ 1.5×)");
    }
    Map<String, Figures> history =
        run(LedgerHistoryBenchmark.class, Mode.SingleShotTime, TimeUnit.MICROSECONDS, smoke);
    report.line(
        "ledger reserve+commit under a daily cap vs paid records already in the window"
            + " (LedgerHistoryBenchmark):");
    for (String key : history.keySet().stream().sorted().toList()) {
      report.line(
          String.format(
              Locale.ROOT,
              "  %-7s %7s records: wall %s µs/op, CPU %s µs/op",
              key.substring(0, key.indexOf('|')),
              key.substring(key.indexOf('|') + 1),
              format(history.get(key).wall(), 1.0 / LedgerHistoryBenchmark.BATCH, 1),
              format(history.get(key).cpu(), 1)));
    }
  }

  private static String ratio(
      Map<String, Figures> avg, String store, String path, String ledgerFloor, String floorName) {
    Figures p = avg.get(path + "|" + store);
    Figures sign = avg.get("floorSignature|");
    Figures ledger = avg.get(ledgerFloor + "|" + store);
    if (p == null || sign == null || ledger == null) {
      return path + " not measured";
    }
    double wall = median(p.wall()) / (median(sign.wall()) + median(ledger.wall()));
    double cpu = median(p.cpu()) / (median(sign.cpu()) + median(ledger.cpu()));
    return String.format(
        Locale.ROOT,
        "%s %.1f µs / (signature %.1f + %s %.1f) = %.2f× wall, %.2f× CPU",
        path,
        median(p.wall()),
        median(sign.wall()),
        floorName,
        median(ledger.wall()),
        wall,
        cpu);
  }

  private static double median(Statistics s) {
    return s == null ? Double.NaN : s.getPercentile(50);
  }

  private static String format(Statistics s, int decimals) {
    return format(s, 1, decimals);
  }

  private static String format(Statistics s, double scale, int decimals) {
    if (s == null) {
      return "-";
    }
    String f = "%." + decimals + "f";
    return String.format(
        Locale.ROOT,
        f + " (" + f + "–" + f + ")",
        s.getPercentile(50) * scale,
        s.getMin() * scale,
        s.getMax() * scale);
  }

  private static Map<String, Figures> run(
      Class<?> benchmark, Mode mode, TimeUnit unit, boolean smoke) throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(benchmark.getName() + "\\.")
            .mode(mode)
            .timeUnit(unit)
            .addProfiler(CpuTimeProfiler.class)
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
        options.param("history", "1000");
      }
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    Map<String, Figures> byKey = new HashMap<>();
    for (RunResult result : results) {
      BenchmarkParams params = result.getParams();
      String name = params.getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      String store = params.getParamsKeys().contains("store") ? params.getParam("store") : "";
      if (params.getParamsKeys().contains("history")) {
        name = store;
        store = params.getParam("history");
      }
      Result<?> cpu = result.getSecondaryResults().get(CpuTimeProfiler.LABEL);
      byKey.put(
          name + "|" + store,
          new Figures(
              result.getPrimaryResult().getStatistics(), cpu == null ? null : cpu.getStatistics()));
    }
    return byKey;
  }
}
