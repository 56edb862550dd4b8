package dev.mpp.wallet;

import dev.mpp.wallet.price.PriceSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/** Converts amounts to micro-dollars through a {@link PriceSource}, rounding against the payer. */
final class Pricing {
  private static final BigDecimal MAX = BigDecimal.valueOf(Usd.MAX_MICROS);

  private final PriceSource prices;

  Pricing(PriceSource prices) {
    this.prices = prices;
  }

  /** The outcome of pricing one amount: micro-dollars, or why there are none. */
  record Price(long usdMicros, String unpriced, String invalid) {
    static Price of(long micros) {
      return new Price(micros, null, null);
    }

    boolean known() {
      return unpriced == null && invalid == null;
    }
  }

  /**
   * Prices {@code money}. Rounds up to the next micro-dollar, so that no amount is counted as less
   * than it is (a payment of one wei still counts one micro-dollar).
   */
  Price price(Money money) {
    Optional<BigDecimal> rate;
    try {
      rate = prices.usdPerUnit(money.asset());
    } catch (RuntimeException e) {
      return new Price(0, "price source failed: " + e.getClass().getSimpleName(), null);
    }
    if (rate == null || rate.isEmpty()) {
      return new Price(0, "no usd price for " + money.asset().key(), null);
    }
    if (rate.get().signum() <= 0) {
      return new Price(0, "price source gave a non-positive rate for " + money.asset().key(), null);
    }
    BigDecimal micros =
        new BigDecimal(money.units())
            .multiply(rate.get())
            .movePointRight(6 - money.asset().decimals())
            .setScale(0, RoundingMode.CEILING);
    if (micros.compareTo(MAX) > 0) {
      return new Price(0, null, "amount " + money + " exceeds the pricing range of 1e12 usd");
    }
    return Price.of(micros.longValueExact());
  }
}
