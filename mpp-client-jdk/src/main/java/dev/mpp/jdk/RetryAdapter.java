package dev.mpp.jdk;

import dev.mpp.client.TransportRetry;
import io.github.resilience4j.retry.Retry;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** Lets a resilience4j {@link Retry} decide the flow's transport resends of a paid attempt. */
final class RetryAdapter implements TransportRetry {
  private final Retry retry;
  private final ScheduledExecutorService scheduler;

  RetryAdapter(Retry retry, ScheduledExecutorService scheduler) {
    this.retry = Objects.requireNonNull(retry, "retry");
    this.scheduler = scheduler != null ? scheduler : Scheduler.INSTANCE;
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

  /** Only waits out back-off delays; attempts themselves run on the HTTP client's threads. */
  private static final class Scheduler {
    static final ScheduledExecutorService INSTANCE =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "mpp-jdk-retry");
              thread.setDaemon(true);
              return thread;
            });
  }
}
