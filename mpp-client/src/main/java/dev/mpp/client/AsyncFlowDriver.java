package dev.mpp.client;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link PaymentAttempts} state machine without blocking: each request goes out through
 * {@link Exchange#sendAsync}, and every step that may sign or touch the ledger runs on the flow's
 * executor, never on the caller's thread or the HTTP client's threads. Steps are chained through
 * futures, one after the other.
 *
 * @param <R> the HTTP library's response type
 */
final class AsyncFlowDriver<R> {
  private final PaymentAttempts<R> attempts;
  private final Exchange<R> exchange;
  private final Executor executor;

  private AsyncFlowDriver(PaymentAttempts<R> attempts, Exchange<R> exchange, Executor executor) {
    this.attempts = attempts;
    this.exchange = exchange;
    this.executor = executor;
  }

  static <R> CompletableFuture<PaymentResult<R>> run(
      PaymentAttempts<R> attempts, Exchange<R> exchange, Executor executor) {
    AsyncFlowDriver<R> driver = new AsyncFlowDriver<>(attempts, exchange, executor);
    return CompletableFuture.supplyAsync(attempts::start, executor).thenCompose(driver::drive);
  }

  private CompletableFuture<PaymentResult<R>> drive(FlowStep<R> step) {
    if (step instanceof FlowStep.Done<R> done) {
      return CompletableFuture.completedFuture(done.result());
    }
    FlowStep.Send<R> send = (FlowStep.Send<R>) step;
    if (!send.paid()) {
      // Most responses to an unpaid request need no payment: those complete on the client's thread.
      return sendAsync(send)
          .thenCompose(
              response ->
                  attempts.followUpBlocks(response)
                      ? CompletableFuture.supplyAsync(
                              () -> attempts.followUp(response, false), executor)
                          .thenCompose(this::drive)
                      : drive(attempts.followUp(response, false)));
    }
    AtomicInteger sends = new AtomicInteger();
    CompletableFuture<R> sent;
    try {
      sent =
          send.retry()
              .callAsync(
                  () -> {
                    sends.incrementAndGet();
                    return sendAsync(send);
                  });
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handleAsync(
            (response, error) -> {
              if (error != null) {
                throw attempts.lost(unwrap(error));
              }
              return attempts.followUp(response, sends.get() > 1);
            },
            executor)
        .thenCompose(this::drive);
  }

  /** An adapter that throws instead of returning a failed future still yields a future. */
  private CompletableFuture<R> sendAsync(FlowStep.Send<R> send) {
    try {
      return Objects.requireNonNull(exchange.sendAsync(send.headers()), "sendAsync returned null");
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
