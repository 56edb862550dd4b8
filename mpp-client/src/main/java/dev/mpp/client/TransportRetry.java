package dev.mpp.client;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Resends the same credential after a transport failure. The flow only uses it when a resend cannot
 * double-pay: the request is idempotent or carries an {@code Idempotency-Key} (which the flow adds
 * to non-idempotent paid requests). {@link Resilience4jRetry} adapts a resilience4j {@code Retry}.
 */
public interface TransportRetry {

  /** Never resends: one transport failure after sending makes the outcome unknown. */
  TransportRetry NONE =
      new TransportRetry() {
        @Override
        public <R> R call(IoCall<R> call) throws IOException {
          return call.call();
        }

        @Override
        public <R> CompletableFuture<R> callAsync(Supplier<CompletableFuture<R>> call) {
          return call.get();
        }
      };

  /** Runs {@code call}, repeating it on {@link IOException} as the policy allows. */
  <R> R call(IoCall<R> call) throws IOException;

  /** Runs {@code call}, repeating it when its future fails, without blocking. */
  <R> CompletableFuture<R> callAsync(Supplier<CompletableFuture<R>> call);

  /**
   * A transport call that may fail with {@link IOException}.
   *
   * @param <R> the result type
   */
  @FunctionalInterface
  interface IoCall<R> {
    /** Performs the call. */
    R call() throws IOException;
  }
}
