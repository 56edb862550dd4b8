package dev.mpp.rail.stripe;

import java.util.Optional;

/**
 * What Stripe said when it refused to create a Shared Payment Token: the cause of the {@link
 * dev.mpp.client.PaymentFailedException} ({@code RAIL_FAILED}) that {@link StripeRail#pay} throws.
 * Switch on {@link #code()} ({@code card_declined}, {@code rate_limit}, {@code api_key_expired} …),
 * never on the message.
 *
 * <p>Stripe's own exception is not chained: its message can echo part of the API key. The message
 * here has every key-like string removed.
 */
public final class StripeApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final String type;
  private final String declineCode;
  private final Integer httpStatus;
  private final String requestId;

  StripeApiError(
      String message,
      String code,
      String type,
      String declineCode,
      Integer httpStatus,
      String requestId) {
    super(message);
    this.code = code;
    this.type = type;
    this.declineCode = declineCode;
    this.httpStatus = httpStatus;
    this.requestId = requestId;
  }

  /**
   * Finds the Stripe error in {@code failure}'s cause chain.
   *
   * @return the error, or empty when the failure did not come from Stripe's API
   */
  public static Optional<StripeApiError> in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StripeApiError error) {
        return Optional.of(error);
      }
    }
    return Optional.empty();
  }

  /**
   * Stripe's error code, e.g. {@code card_declined}, {@code rate_limit}, {@code resource_missing};
   * for failures without one, the error type ({@code authentication_error}, {@code
   * api_connection_error} …).
   */
  public String code() {
    return code;
  }

  /** Stripe's error type, e.g. {@code card_error} or {@code invalid_request_error}. */
  public String type() {
    return type;
  }

  /** The card issuer's decline code, e.g. {@code insufficient_funds}. */
  public Optional<String> declineCode() {
    return Optional.ofNullable(declineCode);
  }

  /** The HTTP status Stripe answered with, absent when Stripe could not be reached. */
  public Optional<Integer> httpStatus() {
    return Optional.ofNullable(httpStatus);
  }

  /** Stripe's request id ({@code req_…}), for support tickets. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }
}
