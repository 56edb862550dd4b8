package dev.mpp.wallet.policy;

import dev.mpp.wallet.Asset;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The facts of one prospective payment that a {@link Policy} judges.
 *
 * @param host the host of the URL being paid for (lower case, no brackets for IPv6)
 * @param realm the challenge's realm
 * @param recipient the request's recipient, or null when it names none
 * @param method the payment method
 * @param intent the payment intent
 * @param asset the asset paid in
 * @param units the amount in the asset's base units
 * @param usdMicros the amount normalized to micro-dollars
 */
public record Spend(
    String host,
    String realm,
    String recipient,
    String method,
    String intent,
    Asset asset,
    BigInteger units,
    long usdMicros) {

  /** Validates the components. */
  public Spend {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(intent, "intent");
    Objects.requireNonNull(asset, "asset");
    Objects.requireNonNull(units, "units");
    if (units.signum() < 0 || usdMicros < 0) {
      throw new IllegalArgumentException("amounts must not be negative");
    }
  }

  /** The value a list of {@code attribute} is matched against (null when absent). */
  String[] values(Attribute attribute) {
    return switch (attribute) {
      case ORIGIN -> new String[] {host};
      case REALM -> new String[] {realm};
      case RECIPIENT -> new String[] {recipient};
      case METHOD -> new String[] {method};
      case ASSET -> new String[] {asset.key(), asset.currency()};
      case CHAIN -> new String[] {asset.chainId() == null ? null : asset.chainId().toString()};
    };
  }
}
