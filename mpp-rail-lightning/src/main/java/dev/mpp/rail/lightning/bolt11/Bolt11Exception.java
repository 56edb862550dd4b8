package dev.mpp.rail.lightning.bolt11;

/** An invoice that must not be paid: malformed, badly signed, or using an unsupported feature. */
public final class Bolt11Exception extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message why the invoice was rejected (never contains secrets: invoices are public)
   */
  public Bolt11Exception(String message) {
    super(message);
  }
}
