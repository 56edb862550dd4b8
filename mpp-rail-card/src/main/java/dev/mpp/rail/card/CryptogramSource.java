package dev.mpp.rail.card;

/**
 * Issues the per-payment cryptogram for a card whose network token is static configuration (see
 * {@link ConfiguredCardCredentials}). {@link HttpCryptogramSource} asks an enabler over HTTP.
 */
@FunctionalInterface
public interface CryptogramSource {

  /**
   * A fresh cryptogram for one payment with {@code card}.
   *
   * @throws CardProvisioningException when none can be issued
   */
  DynamicData issue(Card card, CardPurchase purchase);
}
