package dev.mpp.wallet.price;

import dev.mpp.wallet.Asset;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Where the wallet learns what an asset is worth in the reference currency (US dollars), so that
 * offers in different assets can be compared and counted against the same caps.
 *
 * <p>An asset without a price is never paid: the wallet records the offer as unpriced. Implement
 * this to plug in a live rate feed; {@link Prices} is the static default. Implementations must be
 * thread-safe and fast (they are asked once per offer), and must not block on the network while a
 * payment waits: cache rates and refresh them elsewhere.
 */
@FunctionalInterface
public interface PriceSource {

  /**
   * The value in US dollars of one whole unit of {@code asset} (10^decimals base units), e.g.
   * {@code 1} for a USD stablecoin or for ISO {@code usd}.
   *
   * @return the exact, positive rate, or empty when the asset is unpriced
   */
  Optional<BigDecimal> usdPerUnit(Asset asset);
}
