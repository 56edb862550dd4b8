package dev.mpp.wallet.price;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.wallet.Asset;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Fixed prices: the default {@link PriceSource}.
 *
 * <p>Out of the box ({@link #defaults()}):
 *
 * <ul>
 *   <li>ISO {@code usd} is worth one dollar per whole unit, so a rail that counts it in cents
 *       (decimals 2) prices 1 base unit at one cent;
 *   <li>the Tempo TIP-20 USD stablecoins pathUSD, AlphaUSD, BetaUSD and ThetaUSD ({@code
 *       0x20c0000000000000000000000000000000000000} to {@code …0003}) are worth one dollar when
 *       counted with 6 decimals, on any chain (the addresses are reserved by the protocol);
 *   <li>everything else, e.g. {@code sat} or an unknown token, is unpriced until a rate is
 *       configured.
 * </ul>
 *
 * <p>A stablecoin reported with other decimals than configured is unpriced rather than mispriced by
 * orders of magnitude. Rates configured with {@link Builder#rate} take precedence over the
 * defaults; a rate keyed by an asset key ({@code method:chain:currency}) takes precedence over one
 * keyed by currency alone.
 */
public final class Prices implements PriceSource {
  /** pathUSD on Tempo. */
  public static final String PATH_USD = "0x20c0000000000000000000000000000000000000";

  /** AlphaUSD on Tempo. */
  public static final String ALPHA_USD = "0x20c0000000000000000000000000000000000001";

  /** BetaUSD on Tempo. */
  public static final String BETA_USD = "0x20c0000000000000000000000000000000000002";

  /** ThetaUSD on Tempo. */
  public static final String THETA_USD = "0x20c0000000000000000000000000000000000003";

  private static final Prices DEFAULTS = builder().build();

  private final Map<String, Integer> stablecoins;
  private final Map<String, BigDecimal> rates;

  private Prices(Builder b) {
    this.stablecoins = Map.copyOf(b.stablecoins);
    this.rates = Map.copyOf(b.rates);
  }

  /** USD and the Tempo USD stablecoins at one dollar; nothing else priced. */
  public static Prices defaults() {
    return DEFAULTS;
  }

  /** Starts from {@link #defaults()}; add stablecoins and rates. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<BigDecimal> usdPerUnit(Asset asset) {
    BigDecimal rate = rates.get(asset.key());
    if (rate == null) {
      rate = rates.get(asset.currency());
    }
    if (rate != null) {
      return Optional.of(rate);
    }
    Integer decimals = stablecoins.get(asset.currency());
    if (decimals != null) {
      return decimals == asset.decimals() ? Optional.of(BigDecimal.ONE) : Optional.empty();
    }
    return asset.currency().equals("usd") ? Optional.of(BigDecimal.ONE) : Optional.empty();
  }

  @Override
  public String toString() {
    return "Prices[stablecoins=" + stablecoins.size() + ", rates=" + rates.keySet() + "]";
  }

  /** Configures {@link Prices}. */
  public static final class Builder {
    private final Map<String, Integer> stablecoins = new LinkedHashMap<>();
    private final Map<String, BigDecimal> rates = new LinkedHashMap<>();

    private Builder() {
      for (String token : new String[] {PATH_USD, ALPHA_USD, BETA_USD, THETA_USD}) {
        stablecoins.put(token, 6);
      }
    }

    /**
     * Prices a token at one dollar per whole unit when counted with {@code decimals}.
     *
     * @param currency the token address (any case) or currency code
     */
    public Builder stablecoin(String currency, int decimals) {
      if (decimals < 0 || decimals > 36) {
        throw invalid("stablecoin decimals must be 0 to 36");
      }
      stablecoins.put(normalize(currency), decimals);
      return this;
    }

    /**
     * Sets the dollar value of one whole unit of an asset, e.g. {@code rate("sat", "0.0006")}.
     *
     * @param asset an asset key such as {@code lightning:sat} or {@code evm:1:0xa0b8…}, or a
     *     currency code / token address matching any method and chain
     * @param usdPerUnit the exact, positive value of one whole unit
     */
    public Builder rate(String asset, BigDecimal usdPerUnit) {
      Objects.requireNonNull(usdPerUnit, "usdPerUnit");
      if (usdPerUnit.signum() <= 0) {
        throw invalid("rate for " + asset + " must be positive");
      }
      rates.put(normalize(asset), usdPerUnit);
      return this;
    }

    /** {@link #rate(String, BigDecimal)} with the rate written as a decimal string. */
    public Builder rate(String asset, String usdPerUnit) {
      BigDecimal rate;
      try {
        rate = new BigDecimal(Objects.requireNonNull(usdPerUnit, "usdPerUnit").strip());
      } catch (NumberFormatException e) {
        throw invalid("rate for " + asset + " is not a decimal number: '" + usdPerUnit + "'");
      }
      return rate(asset, rate);
    }

    /**
     * Prices satoshis ({@code sat}, decimals 0) from a bitcoin price in dollars.
     *
     * @param usdPerBitcoin dollars per whole bitcoin (10^8 sat)
     */
    public Builder bitcoin(BigDecimal usdPerBitcoin) {
      Objects.requireNonNull(usdPerBitcoin, "usdPerBitcoin");
      return rate("sat", usdPerBitcoin.movePointLeft(8));
    }

    /** Builds the immutable price table. */
    public Prices build() {
      return new Prices(this);
    }

    private static String normalize(String key) {
      Objects.requireNonNull(key, "asset");
      String normalized = key.strip().toLowerCase(Locale.ROOT);
      if (normalized.isEmpty()) {
        throw invalid("asset must not be blank");
      }
      return normalized;
    }

    private static ConfigurationException invalid(String message) {
      return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, message);
    }
  }
}
