package dev.mpp.rail.lightning.node;

/**
 * The node could not be reached or answered something unexpected. After a {@code pay}, the outcome
 * is unknown: ask the node with {@link LightningNode#lookupPayment} before any retry.
 */
public final class LightningNodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed (never credentials or preimages)
   * @param cause the underlying failure, or null
   */
  public LightningNodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
