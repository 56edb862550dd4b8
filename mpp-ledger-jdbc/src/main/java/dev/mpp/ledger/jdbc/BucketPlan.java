package dev.mpp.ledger.jdbc;

import dev.mpp.wallet.ledger.Limit;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Time arithmetic of the running aggregates ({@code mpp_bucket}) that make a window check cost a
 * few dozen rows however large the ledger grows, without ever under- or over-counting.
 *
 * <p>Every counted record adds its amount to one bucket per span (second, minute, hour, day, all
 * time) of its agent and of its fleet; releasing it subtracts again. A window {@code [since, ∞)} is
 * then the exact sum of:
 *
 * <ul>
 *   <li>the records themselves in {@code [since, ceil(since, 1 s))} (at most one second of rows),
 *   <li>second buckets starting in {@code [ceil(since, 1 s), ceil(since, 1 min))},
 *   <li>minute buckets starting in {@code [ceil(since, 1 min), ceil(since, 1 h))},
 *   <li>hour buckets starting in {@code [ceil(since, 1 h), ceil(since, 1 d))},
 *   <li>day buckets starting at or after {@code ceil(since, 1 d)}.
 * </ul>
 *
 * Buckets are aligned to their span (UTC epoch), so every bucket in a range lies wholly inside the
 * window and every instant of the window is covered exactly once. A window without start reads the
 * single all-time bucket.
 */
final class BucketPlan {

  /** Bucket spans in seconds, finest first; {@link #ALL_TIME} is the all-time bucket. */
  static final long[] SPANS = {1, 60, 3_600, 86_400};

  /** Span value of the single all-time bucket (start 0). */
  static final long ALL_TIME = 0;

  private static final long NANOS = 1_000_000_000L;

  /** Earliest storable timestamp (1900-01-01T00:00:00Z): keeps all arithmetic inside a long. */
  static final Instant MIN = Instant.parse("1900-01-01T00:00:00Z");

  /** Latest storable timestamp (exclusive; 2200-01-01T00:00:00Z). */
  static final Instant MAX = Instant.parse("2200-01-01T00:00:00Z");

  static final long MIN_NS = toNanosUnchecked(MIN);
  static final long MAX_NS = toNanosUnchecked(MAX);

  private BucketPlan() {}

  /**
   * A timestamp as epoch nanoseconds, the ledger's storage form.
   *
   * @throws IllegalArgumentException outside [1900, 2200)
   */
  static long toNanos(Instant at, String what) {
    if (at.isBefore(MIN) || !at.isBefore(MAX)) {
      throw new IllegalArgumentException(what + " " + at + " is outside the storable range");
    }
    return toNanosUnchecked(at);
  }

  /** The instant of epoch nanoseconds {@code ns}. */
  static Instant fromNanos(long ns) {
    return Instant.ofEpochSecond(Math.floorDiv(ns, NANOS), Math.floorMod(ns, NANOS));
  }

  private static long toNanosUnchecked(Instant at) {
    return at.getEpochSecond() * NANOS + at.getNano();
  }

  /**
   * The scopes a record of {@code agent} (in {@code fleet}, or none) is counted in, agent first.
   */
  static Set<Limit.Scope> scopesOf(String agent, String fleet) {
    return fleet == null
        ? Set.of(Limit.Scope.agent(agent))
        : new LinkedHashSet<>(List.of(Limit.Scope.agent(agent), Limit.Scope.fleet(fleet)));
  }

  /** Start (epoch ns) of the bucket of span {@code spanSeconds} that contains {@code ns}. */
  static long bucketStart(long ns, long spanSeconds) {
    long span = spanSeconds * NANOS;
    return Math.floorDiv(ns, span) * span;
  }

  /** The smallest bucket start of span {@code spanSeconds} at or after {@code ns}. */
  static long ceil(long ns, long spanSeconds) {
    long span = spanSeconds * NANOS;
    return -Math.floorDiv(-ns, span) * span;
  }

  /**
   * How to read a window starting at {@code since}.
   *
   * @return null when the window holds no storable record (since at or after {@link #MAX}); a plan
   *     with {@link Window#allTime()} when it holds every record
   */
  static Window window(Instant since) {
    if (since == null || !since.isAfter(MIN)) {
      return Window.ALL;
    }
    if (!since.isBefore(MAX)) {
      return null;
    }
    long start = toNanosUnchecked(since);
    long[] edges = new long[SPANS.length + 1];
    edges[0] = start;
    for (int i = 0; i < SPANS.length; i++) {
      edges[i + 1] = ceil(start, SPANS[i]);
    }
    return new Window(false, edges);
  }

  /**
   * The ranges that make up one window.
   *
   * @param allTime read the all-time bucket only
   * @param edges {@code edges[0]} is the window start; records are read in {@code [edges[0],
   *     edges[1])}, buckets of {@code SPANS[i]} in {@code [edges[i+1], edges[i+2])}, and the
   *     coarsest span from {@code edges[SPANS.length]} on
   */
  record Window(boolean allTime, long[] edges) {
    static final Window ALL = new Window(true, new long[0]);
  }
}
