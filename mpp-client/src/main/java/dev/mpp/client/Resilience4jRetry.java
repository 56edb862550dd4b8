package dev.mpp.client;

import io.github.resilience4j.retry.Retry;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Lets a resilience4j {@link Retry} decide the flow's transport resends of a paid attempt. Only the
 * retry's exception rules apply; configure no result predicate. Needs {@code resilience4j-retry} on
 * the classpath (the HTTP adapters bring it; {@code mpp-client} alone declares it optional).
 *
 * <pre>{@code
 * MppInterceptor.builder(wallet).transportRetry(Resilience4jRetry.of(Retry.ofDefaults("paid")))
 * }</pre>
 */
public final class Resilience4jRetry implements TransportRetry {
  private final Retry retry;
  private final ScheduledExecutorService scheduler;

  private Resilience4jRetry(Retry retry, ScheduledExecutorService scheduler) {
    this.retry = Objects.requireNonNull(retry, "retry");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /** Resends as {@code retry} allows; asynchronous back-offs wait on a shared daemon thread. */
  public static Resilience4jRetry of(Retry retry) {
    return new Resilience4jRetry(retry, Scheduler.INSTANCE);
  }

  /** As {@link #of(Retry)}, waiting out asynchronous back-offs on {@code scheduler}. */
  public static Resilience4jRetry of(Retry retry, ScheduledExecutorService scheduler) {
    return new Resilience4jRetry(retry, scheduler);
  }

  @Override
  public <R> R call(IoCall<R> call) throws IOException {
    try {
      return retry.executeCheckedSupplier(call::call);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  @Override
  public <R> CompletableFuture<R> callAsync(Supplier<CompletableFuture<R>> call) {
    return retry.executeCompletionStage(scheduler, call::get).toCompletableFuture();
  }

  @Override
  public String toString() {
    return "Resilience4jRetry{" + retry.getName() + "}";
  }

  /** Only waits out back-off delays; the attempts themselves run on the HTTP client's threads. */
  private static final class Scheduler {
    static final ScheduledExecutorService INSTANCE =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "mpp-retry");
              thread.setDaemon(true);
              return thread;
            });
  }
}
