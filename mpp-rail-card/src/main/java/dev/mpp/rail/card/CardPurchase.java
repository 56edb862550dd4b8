package dev.mpp.rail.card;

import dev.mpp.wallet.Money;
import java.util.Objects;
import java.util.Optional;

/**
 * What a card enabler is told about one payment, so it can bind the cryptogram to it: the
 * challenge, the merchant and the exact amount. Nothing here is secret.
 *
 * @param challengeId the challenge being paid; token services may use it as their idempotency key
 * @param realm the challenge's realm
 * @param merchantName the merchant's display name from the challenge
 * @param recipient the merchant id at its acquirer, or null
 * @param amount the amount in the currency's minor units ({@code card:usd}, 2 decimals)
 */
public record CardPurchase(
    String challengeId, String realm, String merchantName, String recipient, Money amount) {

  /** Validates the components. */
  public CardPurchase {
    Objects.requireNonNull(challengeId, "challengeId");
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(merchantName, "merchantName");
    Objects.requireNonNull(amount, "amount");
  }

  /** The merchant id at its acquirer, when the challenge names one. */
  public Optional<String> recipientId() {
    return Optional.ofNullable(recipient);
  }

  /** The ISO 4217 currency code, lower case. */
  public String currency() {
    return amount.asset().currency();
  }
}
