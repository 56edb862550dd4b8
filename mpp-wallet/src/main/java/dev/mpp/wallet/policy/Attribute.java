package dev.mpp.wallet.policy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import java.util.Locale;

/** What an allow or deny list of a {@link Policy} matches against. */
public enum Attribute {
  /** The host of the URL being paid for; patterns like {@code *.example.com}. */
  ORIGIN("origin", "origins"),
  /** The challenge's realm. */
  REALM("realm", "realms"),
  /** The request's recipient (address or account); absent recipients fail an allow list. */
  RECIPIENT("recipient", "recipients"),
  /** The payment method, e.g. {@code tempo}. */
  METHOD("method", "methods"),
  /**
   * The asset: a pattern matches its key ({@code tempo:4217:0x20c0…}) or its currency alone ({@code
   * usd}, {@code 0x20c0…}).
   */
  ASSET("asset", "assets"),
  /** The chain id of on-chain assets; off-chain assets (fiat) are not subject to chain lists. */
  CHAIN("chain", "chains");

  private final String label;
  private final String plural;

  Attribute(String label, String plural) {
    this.label = label;
    this.plural = plural;
  }

  /** The name used in rule names, e.g. {@code origin} in {@code agent:bot/deny/origin}. */
  public String label() {
    return label;
  }

  /** The key used in policy files, e.g. {@code origins}. */
  public String plural() {
    return plural;
  }

  /** The attribute whose policy-file key is {@code plural}. */
  static Attribute ofPlural(String plural) {
    for (Attribute attribute : values()) {
      if (attribute.plural.equals(plural.toLowerCase(Locale.ROOT))) {
        return attribute;
      }
    }
    throw new ConfigurationException(
        ErrorCode.INVALID_CONFIGURATION,
        "unknown list '"
            + plural
            + "' (expected origins, realms, recipients, methods, assets or chains)");
  }

  @Override
  public String toString() {
    return label;
  }
}
