package dev.mpp.wallet.rail;

import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.StreamEvent;
import dev.mpp.client.wire.Challenge;
import java.util.Optional;

/**
 * A rail that pays from a long-lived deposit (a payment channel) instead of moving money per
 * request. The wallet still quotes it, applies the policy's non-cap rules to the per-request amount
 * and picks it like any other rail; then, instead of reserving the amount itself, it hands the rail
 * a {@link Funding}: the rail reserves the deposit as a hold (checked against every cap) when it
 * opens or tops up a channel, and each voucher captures its increment from that hold.
 *
 * <p>Contract, in addition to {@link Rail}'s:
 *
 * <ul>
 *   <li>{@link #pay} is not used; the wallet calls {@link #authorize} instead.
 *   <li>Nothing is signed before the channel state that makes it safe is persisted (the highest
 *       cumulative amount ever signed).
 *   <li>The returned authorization moves the ledger records it made; a {@link
 *       dev.mpp.client.PaymentDeniedException} thrown before anything was signed lets the wallet
 *       try the next offer.
 * </ul>
 */
public interface SessionRail extends Rail {

  /**
   * Pays {@code challenge} from the channel this rail keeps for the request's origin and the
   * funding's agent, opening or topping it up first when needed.
   *
   * @throws dev.mpp.client.PaymentDeniedException when the deposit or top-up does not fit the
   *     policy (nothing signed)
   * @throws dev.mpp.client.PaymentRefusedException when the challenge cannot be paid
   * @throws dev.mpp.client.PaymentFailedException when opening, topping up or signing failed
   */
  PaymentAuthorization authorize(Challenge challenge, PaymentContext context, Funding funding);

  /**
   * A still-valid challenge this rail paid for the same resource and agent before, to pay {@code
   * context} up front (one round trip instead of two), when the server is known or not yet known to
   * accept such vouchers. The wallet pays it through {@link #authorize} under the usual policy.
   */
  default Optional<Challenge> upfrontChallenge(PaymentContext context) {
    return Optional.empty();
  }

  /**
   * Handles a payment event of a streamed response this rail paid for (e.g. {@code
   * payment-need-voucher}): pays it from the request's channel, topping the channel up first when
   * needed, and returns once the server has the payment.
   *
   * @return whether this rail handled the event (false: not its kind, or not its channel)
   * @throws dev.mpp.client.PaymentDeniedException when the policy refuses the demand
   * @throws dev.mpp.client.MppException when the event is malformed or paying failed
   */
  default boolean payInStream(PaymentContext context, StreamEvent event, Funding funding) {
    return false;
  }

  /**
   * {@inheritDoc}
   *
   * @throws UnsupportedOperationException always: session payments go through {@link #authorize}
   */
  @Override
  default RailPayment pay(Challenge challenge, PaymentContext context) {
    throw new UnsupportedOperationException(
        "a session rail pays through authorize(challenge, context, funding)");
  }
}
