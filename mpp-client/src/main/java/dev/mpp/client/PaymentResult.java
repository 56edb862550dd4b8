package dev.mpp.client;

import dev.mpp.client.wire.Problem;
import java.util.Objects;
import java.util.Optional;

/**
 * What the flow hands back to an adapter: the response the caller gets, and the ledger record when
 * a payment was attempted.
 *
 * @param response the response to return to the caller (open)
 * @param record the payment record, or null when nothing was paid
 * @param problem the server's problem details when it rejected the credential, or null
 * @param <R> the library's response type
 */
public record PaymentResult<R>(R response, PaymentRecord record, Problem problem) {

  /** Validates the components. */
  public PaymentResult {
    Objects.requireNonNull(response, "response");
  }

  /** A response for which nothing was paid. */
  public static <R> PaymentResult<R> unpaid(R response) {
    return new PaymentResult<>(response, null, null);
  }

  /** The payment record, when a payment was attempted. */
  public Optional<PaymentRecord> paymentRecord() {
    return Optional.ofNullable(record);
  }

  /** The rejection's problem details, when the server rejected the credential. */
  public Optional<Problem> problemDetails() {
    return Optional.ofNullable(problem);
  }
}
