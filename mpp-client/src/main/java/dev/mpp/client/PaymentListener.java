package dev.mpp.client;

import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Challenges;
import dev.mpp.client.wire.Problem;

/**
 * Observes the payment flow, e.g. for metrics, audit logs or tracing. Every method has an empty
 * default. Callbacks run on the paying thread; an exception thrown by a listener is logged and
 * never changes the payment's outcome. No callback receives a credential.
 */
public interface PaymentListener {

  /** A 402 arrived and its challenges were parsed (valid and invalid). */
  default void challengesReceived(PaymentContext context, Challenges challenges) {}

  /** The payer chose an offer; {@code rationale} explains the choice and the alternatives. */
  default void offerChosen(PaymentContext context, Challenge chosen, String rationale) {}

  /** A credential was created for {@code challenge} (its contents are not passed on). */
  default void credentialCreated(PaymentContext context, Challenge challenge) {}

  /** The server accepted the payment. */
  default void paid(PaymentContext context, PaymentRecord record) {}

  /** The server rejected the credential; {@code problem} is null when the body was not one. */
  default void rejected(PaymentContext context, PaymentRecord record, Problem problem) {}

  /** Paying was refused or failed before any credential was sent. */
  default void failed(PaymentContext context, MppException error) {}

  /** The credential was sent but the outcome is unknown. */
  default void outcomeUnknown(PaymentContext context, PaymentRecord record) {}

  /**
   * A paid streamed response carried a payment event (e.g. {@code payment-need-voucher}); called
   * before the payer handles it.
   */
  default void streamEvent(PaymentContext context, StreamEvent event) {}
}
