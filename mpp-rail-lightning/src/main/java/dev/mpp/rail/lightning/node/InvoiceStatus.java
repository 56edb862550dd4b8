package dev.mpp.rail.lightning.node;

import java.util.Objects;

/**
 * The state of an invoice a node issued.
 *
 * @param state open, settled, canceled or accepted (HTLCs held, not yet settled)
 * @param amountPaidMsat what was received, in millisatoshi (0 unless settled)
 */
public record InvoiceStatus(State state, long amountPaidMsat) {
  /** Invoice states common to LND and Core Lightning. */
  public enum State {
    /** Not paid yet and not expired. */
    OPEN,
    /** Paid. */
    SETTLED,
    /** Expired or canceled: can no longer be paid. */
    CANCELED,
    /** HTLCs arrived but are held (hold invoices). */
    ACCEPTED
  }

  /** Validates the fields. */
  public InvoiceStatus {
    Objects.requireNonNull(state, "state");
    if (amountPaidMsat < 0) {
      throw new IllegalArgumentException("amountPaidMsat must not be negative");
    }
  }
}
