package dev.mpp.rail.card;

import java.util.Objects;

/**
 * What a card enabler hands out for one payment: the network token and the cryptogram bound to that
 * payment. Both are secrets; {@link #toString()} shows neither.
 *
 * @param token the network token
 * @param dynamicData the cryptogram for this payment
 */
public record CardTokenData(NetworkToken token, DynamicData dynamicData) {

  /** Validates the components. */
  public CardTokenData {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(dynamicData, "dynamicData");
  }

  @Override
  public String toString() {
    return "CardTokenData[redacted]";
  }
}
