package dev.mpp.rail.lightning.node;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The user's Lightning node, as the rail needs it. Implementations talk to a real node over its
 * API; they never log or persist preimages, macaroons or runes.
 *
 * <p>{@link #pay} must be safe to follow by {@link #lookupPayment}: when {@code pay} returns {@link
 * PaymentResult.InFlight} or throws because the connection broke, the payment may still complete,
 * and the caller asks the node again rather than paying the same invoice twice.
 */
public interface LightningNode {

  /**
   * Which network the node runs on and its identity.
   *
   * @return the node's info
   * @throws LightningNodeException when the node cannot be reached or answers unexpectedly
   */
  NodeInfo info();

  /**
   * Pays a BOLT #11 invoice, waiting up to {@code timeout} for a final outcome.
   *
   * @param invoice the invoice, already decoded and checked by the caller
   * @param maxFeeMsat the most the route may cost in fees, in millisatoshi
   * @param timeout how long to wait before reporting the payment in flight
   * @return succeeded (with the preimage), failed (nothing moved) or in flight
   * @throws LightningNodeException when the node cannot be reached; the outcome is then unknown
   */
  PaymentResult pay(String invoice, long maxFeeMsat, Duration timeout);

  /**
   * The current state of an outgoing payment.
   *
   * @param paymentHash the payment hash, lower-case hex
   * @return the state, or empty when the node never attempted this hash
   * @throws LightningNodeException when the node cannot be reached
   */
  Optional<PaymentResult> lookupPayment(String paymentHash);

  /**
   * Creates an invoice on this node (for example a session's return invoice).
   *
   * @param amountMsat the amount, or empty for an "any amount" invoice
   * @param memo the description
   * @param expiry how long it stays payable
   * @return the invoice and its payment hash
   * @throws LightningNodeException when the node cannot be reached or refuses
   */
  CreatedInvoice createInvoice(OptionalLong amountMsat, String memo, Duration expiry);

  /**
   * The state of an invoice this node issued.
   *
   * @param paymentHash the payment hash, lower-case hex
   * @return its state, or empty when the node does not know it
   * @throws LightningNodeException when the node cannot be reached
   */
  Optional<InvoiceStatus> lookupInvoice(String paymentHash);
}
