package dev.mpp.client;

import dev.mpp.client.wire.AcceptPayment;
import dev.mpp.client.wire.Challenge;
import java.util.List;
import java.util.Optional;

/**
 * The seam between the payment flow and whatever holds the money. {@code mpp-wallet}'s wallet is
 * the standard implementation: it picks the cheapest offer its rails can pay and its policy allows,
 * reserves the amount in its ledger, and builds the credential.
 *
 * <p>Implementations must be thread-safe: one payer serves every request of a client.
 */
public interface Payer {

  /**
   * The {@code Accept-Payment} ranges this payer can pay, sent with first attempts. Called on the
   * thread that starts each request (for {@link PaymentFlow#executeAsync} too), so it must be cheap
   * and never block; a failure here only drops the header.
   */
  AcceptPayment acceptPayment();

  /**
   * Chooses one offer, reserves its amount, and builds its credential. Nothing is signed unless the
   * choice passed every policy rule and the reservation is recorded.
   *
   * @param context the request being paid for
   * @param offers the valid, unexpired, digest-matching challenges, in server order
   * @return the authorization, holding the credential and the handle for reporting the outcome
   * @throws PaymentRefusedException with {@link ErrorCode#NO_PAYABLE_OFFER} when no offer can be
   *     paid
   * @throws PaymentDeniedException when the policy denies every payable offer
   * @throws PaymentFailedException when signing or recording failed (the reservation is released)
   */
  PaymentAuthorization authorize(PaymentContext context, List<Challenge> offers);

  /**
   * A credential to send with the <em>first</em> attempt of a request, before any 402: for payers
   * that can pay a resource from an earlier, still-valid challenge (a session channel's next
   * voucher), saving the 402 round trip. The flow sends it; a 2xx settles it, and a 402 rejects it
   * (the flow then pays the fresh challenge of that 402 as usual, through {@link #authorize} with
   * the same context).
   *
   * <p>The default pays nothing up front. Implementations apply the same policy and ledger rules as
   * {@link #authorize} and answer empty whenever in doubt; they must not throw.
   */
  default Optional<PaymentAuthorization> preauthorize(PaymentContext context) {
    return Optional.empty();
  }

  /**
   * Handles a payment event the server sent inside a response this payer paid for: a streamed
   * response (Server-Sent Events) that asks for more money as it goes, like a Tempo session's
   * {@code payment-need-voucher}. Called on the thread that reads the response body, in stream
   * order; it returns once the demand is paid (the server then resumes the stream), so the stream
   * never runs ahead of what was authorized.
   *
   * <p>The default ignores every event (the server then stops the stream). Implementations apply
   * the same policy and ledger rules as {@link #authorize}.
   *
   * @param context the request whose response carries the event
   * @param event the event ({@code payment-} types only)
   * @throws PaymentDeniedException when the policy refuses the demand (nothing signed)
   * @throws PaymentRefusedException when the event cannot be paid (malformed, unknown channel)
   * @throws PaymentFailedException when paying failed
   */
  default void payInStream(PaymentContext context, StreamEvent event) {}
}
