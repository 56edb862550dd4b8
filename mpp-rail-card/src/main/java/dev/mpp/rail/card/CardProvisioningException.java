package dev.mpp.rail.card;

/**
 * A card enabler could not hand out a token or cryptogram: the cause of the {@link
 * dev.mpp.client.PaymentFailedException} ({@code RAIL_FAILED}) the card rail throws. Nothing was
 * sent to the merchant, so no money moved. Messages name the card by network and last four only.
 */
public final class CardProvisioningException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the failure.
   *
   * @param message what went wrong, without secrets
   */
  public CardProvisioningException(String message) {
    super(message);
  }

  /**
   * Creates the failure with its cause.
   *
   * @param message what went wrong, without secrets
   * @param cause the underlying failure; its message must not carry secrets either
   */
  public CardProvisioningException(String message, Throwable cause) {
    super(message, cause);
  }
}
