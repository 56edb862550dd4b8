package dev.mpp.client;

import java.util.Map;

/**
 * What a {@link PaymentAttempts} state machine asks its driver to do next: send the request (again)
 * or hand a result to the caller. Failures are thrown by the step that found them.
 *
 * @param <R> the HTTP library's response type
 */
sealed interface FlowStep<R> {

  /**
   * Send the request with {@code headers} added and feed the response to {@link
   * PaymentAttempts#followUp}.
   *
   * @param headers the headers to add (an {@code Authorization} credential when {@code paid})
   * @param paid whether the request carries a credential: a transport failure after sending then
   *     leaves the payment's outcome unknown ({@link PaymentAttempts#lost})
   * @param retry how a paid request is resent after a transport failure ({@link
   *     TransportRetry#NONE} when unpaid or when a resend could act twice)
   */
  record Send<R>(Map<String, String> headers, boolean paid, TransportRetry retry)
      implements FlowStep<R> {}

  /**
   * The logical request is over.
   *
   * @param result what the caller gets
   */
  record Done<R>(PaymentResult<R> result) implements FlowStep<R> {}
}
