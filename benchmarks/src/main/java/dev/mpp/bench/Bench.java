package dev.mpp.bench;

import dev.mpp.bench.e2e.EndToEndBenchmark;
import dev.mpp.bench.ledger.LedgerThroughputBenchmark;
import dev.mpp.bench.memory.MemoryBenchmark;
import dev.mpp.bench.overhead.OverheadRunner;
import dev.mpp.bench.startup.StartupBenchmark;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code benchmarks/target/mpp-benchmarks.jar}: {@code overhead}, {@code e2e},
 * {@code ledger}, {@code memory}, {@code startup}, or {@code all}. {@code -Dbench.smoke=true} (or
 * {@code --smoke}) runs each for a moment only, to prove it still works; its figures mean nothing.
 * Results are also appended to {@code benchmarks/target/bench-results/}.
 */
public final class Bench {

  private Bench() {}

  /** Runs the named benchmarks. */
  public static void main(String[] args) throws Exception {
    List<String> names = Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
    boolean smoke = Boolean.getBoolean("bench.smoke") || Arrays.asList(args).contains("--smoke");
    if (names.isEmpty()) {
      System.err.println(
          "usage: java [-Dbench.smoke=true] -jar mpp-benchmarks.jar"
              + " overhead|e2e|ledger|memory|startup|all ...");
      System.exit(2);
    }
    List<String> run =
        names.contains("all") ? List.of("overhead", "e2e", "ledger", "memory", "startup") : names;
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path file =
        RepoRoot.find()
            .resolve("benchmarks/target/bench-results")
            .resolve(String.join("-", run) + (smoke ? "-smoke-" : "-") + stamp + ".txt");
    try (Report report = Report.to(System.out, file)) {
      if (smoke) {
        report.line("smoke mode: one short round of each benchmark; the figures mean nothing");
      }
      for (String name : run) {
        switch (name) {
          case "overhead" -> OverheadRunner.run(smoke, report);
          case "e2e" -> EndToEndBenchmark.run(smoke, report);
          case "ledger" -> LedgerThroughputBenchmark.run(smoke, report);
          case "memory" -> MemoryBenchmark.run(smoke, report);
          case "startup" -> StartupBenchmark.run(smoke, report);
          default -> throw new IllegalArgumentException("unknown benchmark " + name);
        }
      }
      report.line("results kept in " + report.path());
    }
    // Client libraries leave non-daemon threads (connection pools) behind.
    System.exit(0);
  }
}
