package dev.mpp.rail.card;

import java.util.List;

/**
 * The card enabler SPI: where the card rail gets the cards the agent may use and, for one payment,
 * the network token and its cryptogram. The rail itself encrypts them to the merchant's key, so an
 * implementation never sees the merchant's challenge beyond {@link CardPurchase}.
 *
 * <p>{@link ConfiguredCardCredentials} serves enablers that hand out a static network token plus a
 * per-use cryptogram over HTTP; implement this interface for any other (a vault provider's SDK, a
 * token service API).
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #cards()} is cheap and never blocks on the network: the rail calls it when quoting.
 *   <li>{@link #provision} is only called after the rail checked the challenge and the merchant's
 *       key, and after the wallet reserved the amount; a failure means no money moved.
 *   <li>Implementations are thread-safe and never put tokens, cryptograms, card numbers or billing
 *       data into exception messages, logs or {@code toString()}.
 * </ul>
 */
public interface CardCredentials {

  /** The cards the agent may pay with, in order of preference. */
  List<Card> cards();

  /**
   * Obtains the network token and a fresh cryptogram for one payment with {@code card}.
   *
   * @param card one of {@link #cards()}
   * @param purchase the payment the cryptogram is for
   * @return the token and its cryptogram
   * @throws CardProvisioningException when the enabler refused or could not be reached
   */
  CardTokenData provision(Card card, CardPurchase purchase);
}
