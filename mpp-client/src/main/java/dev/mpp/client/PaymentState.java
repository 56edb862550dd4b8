package dev.mpp.client;

/** Where a payment stands in the ledger. */
public enum PaymentState {
  /** Reserved before signing; counts against every cap. */
  HELD,
  /** Settled: the server returned a success (usually with a receipt). */
  PAID,
  /** Released: known not to have moved money; no longer counts. */
  RELEASED,
  /** The credential may have been used; counts against every cap until reconciled. */
  UNKNOWN;

  /** Whether a record in this state counts against spending caps. */
  public boolean counts() {
    return this != RELEASED;
  }

  /** Whether no further transition is expected without a manual reconciliation. */
  public boolean isFinal() {
    return this == PAID || this == RELEASED;
  }
}
