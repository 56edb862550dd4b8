package dev.mpp.rail.tempo.session;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentFailedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Work on a channel that this process started and that other requests for the same channel wait for
 * instead of repeating it (an open the server has not answered yet, a top-up being sent). It lets
 * that work do its network I/O without holding the channel's lock: the lock only decides who starts
 * it.
 */
final class InFlight {

  private final String what;
  private final ConcurrentHashMap<String, CompletableFuture<Void>> work = new ConcurrentHashMap<>();

  /**
   * @param what the kind of work, for messages ("open", "top-up")
   */
  InFlight(String what) {
    this.what = what;
  }

  /** The work in flight for {@code key}, or null. */
  CompletableFuture<Void> get(ChannelKey key) {
    return work.get(key.id());
  }

  /** Registers new work for {@code key}; call under the channel's lock, after {@link #get}. */
  void start(ChannelKey key) {
    work.put(key.id(), new CompletableFuture<>());
  }

  /** Ends {@code key}'s work successfully and wakes its waiters. */
  void succeed(ChannelKey key) {
    CompletableFuture<Void> future = work.remove(key.id());
    if (future != null) {
      future.complete(null);
    }
  }

  /** Ends {@code key}'s work with {@code cause} and wakes its waiters. */
  void fail(ChannelKey key, Throwable cause) {
    CompletableFuture<Void> future = work.remove(key.id());
    if (future != null) {
      future.completeExceptionally(cause);
    }
  }

  /**
   * Waits for {@code future} until {@code deadline} ({@link System#nanoTime()}); returns when it
   * ended either way (the caller then looks at the channel again).
   *
   * @throws PaymentFailedException when the deadline passes or the thread is interrupted
   */
  void await(CompletableFuture<Void> future, long deadline, ChannelKey key) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED,
          "tempo session: the channel for " + key.origin() + " is busy (" + what + ")");
    }
    try {
      future.get(remaining, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      // The work failed; the caller looks at the channel again.
    } catch (TimeoutException e) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED,
          "tempo session: the channel for "
              + key.origin()
              + " did not finish its "
              + what
              + " in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PaymentFailedException(ErrorCode.RAIL_FAILED, "tempo session: interrupted");
    }
  }
}
