package dev.mpp.bench.overhead;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Process CPU time per operation of each iteration ({@code -prof
 * dev.mpp.bench.overhead.CpuTimeProfiler}), in µs/op. On a machine other processes keep busy, wall
 * time per operation grows with the time the benchmark waits for a core; CPU time per operation
 * hardly does, so ratios of CPU times stay meaningful where ratios of wall times drift. It counts
 * every thread of the benchmark JVM (compiler, GC and, for SQLite, its writer thread), and no time
 * spent waiting for the disk.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  /** The secondary result's label. */
  public static final String LABEL = "cpu.time";

  private long before;

  @Override
  public String getDescription() {
    return "process CPU time per operation (µs/op)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    before = processCpuNanos();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    long ops = Math.max(1, result.getMetadata().getAllOps());
    if (benchmark.getMode() == Mode.SingleShotTime) {
      ops *= iteration.getBatchSize(); // one "operation" is the whole batch there
    }
    double micros = (processCpuNanos() - before) / 1e3 / ops;
    return List.of(new ScalarResult(LABEL, micros, "µs/op", AggregationPolicy.AVG));
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
