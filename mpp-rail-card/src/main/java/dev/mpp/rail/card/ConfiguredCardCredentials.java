package dev.mpp.rail.card;

import java.util.List;
import java.util.Objects;

/**
 * {@link CardCredentials} for enablers that provision one network token per agent up front and
 * issue a cryptogram per use: the card and its token come from configuration (a file or the
 * environment, never command-line flags), the cryptogram from a {@link CryptogramSource}, usually
 * an {@link HttpCryptogramSource}.
 *
 * <pre>{@code
 * CardCredentials cards = new ConfiguredCardCredentials(
 *     Card.builder("card_abc123").network("visa").lastFour("4242").expiration("06", "2028").build(),
 *     new NetworkToken(System.getenv("CARD_NETWORK_TOKEN"), "06", "2034", "07"),
 *     HttpCryptogramSource.builder(URI.create("https://enabler.example/v1/cryptograms"))
 *         .apiKeyFromEnvironment("CARD_ENABLER_API_KEY")
 *         .build());
 * }</pre>
 */
public final class ConfiguredCardCredentials implements CardCredentials {
  private final Card card;
  private final NetworkToken token;
  private final CryptogramSource cryptograms;

  /**
   * Configures one card.
   *
   * @param card what the merchant may see of the card
   * @param token the card's network token
   * @param cryptograms where each payment's cryptogram comes from
   */
  public ConfiguredCardCredentials(Card card, NetworkToken token, CryptogramSource cryptograms) {
    this.card = Objects.requireNonNull(card, "card");
    this.token = Objects.requireNonNull(token, "token");
    this.cryptograms = Objects.requireNonNull(cryptograms, "cryptograms");
  }

  @Override
  public List<Card> cards() {
    return List.of(card);
  }

  @Override
  public CardTokenData provision(Card card, CardPurchase purchase) {
    if (!this.card.id().equals(card.id())) {
      throw new CardProvisioningException("no token configured for " + card.label());
    }
    DynamicData cryptogram = cryptograms.issue(card, purchase);
    if (cryptogram == null) {
      throw new CardProvisioningException("no cryptogram issued for " + card.label());
    }
    return new CardTokenData(token, cryptogram);
  }

  @Override
  public String toString() {
    return "ConfiguredCardCredentials[" + card.label() + ", " + cryptograms + "]";
  }
}
