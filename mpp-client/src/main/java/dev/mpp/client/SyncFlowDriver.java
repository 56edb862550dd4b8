package dev.mpp.client;

import java.io.IOException;

/**
 * Runs a {@link PaymentAttempts} state machine on the calling thread: a loop that sends what each
 * step asks for and follows up its response, until a step is done.
 */
final class SyncFlowDriver {
  private SyncFlowDriver() {}

  static <R> PaymentResult<R> run(PaymentAttempts<R> attempts, Exchange<R> exchange)
      throws IOException {
    FlowStep<R> step = attempts.start();
    while (step instanceof FlowStep.Send<R> send) {
      if (!send.paid()) {
        // Nothing was paid yet: a transport failure is the caller's, as without this SDK.
        step = attempts.followUp(exchange.send(send.headers()), false);
        continue;
      }
      int[] sends = {0};
      R response;
      try {
        response =
            send.retry()
                .call(
                    () -> {
                      sends[0]++;
                      return exchange.send(send.headers());
                    });
      } catch (IOException | RuntimeException e) {
        throw attempts.lost(e);
      }
      step = attempts.followUp(response, sends[0] > 1);
    }
    return ((FlowStep.Done<R>) step).result();
  }
}
