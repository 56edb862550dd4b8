package dev.mpp.wallet;

import dev.mpp.client.PaymentRecord;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What an amount is counted in: a payment method's currency (ISO code such as {@code usd}, or a
 * token address) on an optional chain, with its number of decimals.
 *
 * @param method the payment method, e.g. {@code tempo}, {@code stripe}, {@code evm}
 * @param currency the ISO currency code (lower case) or token address (lower case hex)
 * @param chainId the chain id for on-chain assets, or null
 * @param decimals how many decimals one whole unit has (cents: 2, USDC: 6, sat: 0)
 */
public record Asset(String method, String currency, Long chainId, int decimals) {

  /** Normalizes the currency to lower case and validates the components. */
  public Asset {
    Objects.requireNonNull(method, "method");
    currency = Objects.requireNonNull(currency, "currency").toLowerCase(Locale.ROOT);
    if (currency.isEmpty()) {
      throw new IllegalArgumentException("currency must not be empty");
    }
    if (decimals < 0 || decimals > 36) {
      throw new IllegalArgumentException("decimals must be 0 to 36");
    }
    if (chainId != null && chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive");
    }
  }

  /** The chain id, for on-chain assets. */
  public Optional<Long> chain() {
    return Optional.ofNullable(chainId);
  }

  /** A stable identifier such as {@code tempo:4217:0x20c0…} or {@code stripe:usd}. */
  public String key() {
    return keyOf(method, currency, chainId);
  }

  /**
   * The asset key of a recorded payment, as per-asset limits and ledger buckets use it.
   *
   * @param record a recorded payment
   */
  public static String keyOf(PaymentRecord record) {
    return keyOf(record.method(), record.currency(), record.chainId());
  }

  /**
   * The {@link #key()} of the asset a stored record is counted in, so that ledger stores and the
   * wallet agree on per-asset caps without rebuilding an {@code Asset}.
   *
   * @param method the payment method
   * @param currency the currency or token address (any case)
   * @param chainId the chain id, or null
   */
  public static String keyOf(String method, String currency, Long chainId) {
    return method
        + ":"
        + (chainId == null ? "" : chainId + ":")
        + currency.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return key();
  }
}
