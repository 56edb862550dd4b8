package dev.mpp.wallet;

import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Usage;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link Limit} caps: dollars, the number of payments, or base units of one asset. Lets
 * alerts and budget lines treat the three alike instead of repeating themselves per kind.
 */
enum CapMeasure {
  /** Micro-dollars, shown in dollars. */
  USD {
    @Override
    BigInteger cap(Limit limit) {
      return limit.maxUsdMicros() == null ? null : BigInteger.valueOf(limit.maxUsdMicros());
    }

    @Override
    BigInteger used(Usage usage) {
      return BigInteger.valueOf(usage.usdMicros());
    }

    @Override
    String unit(Limit limit) {
      return "usd";
    }

    @Override
    int scale(int assetDecimals) {
      return 6;
    }
  },

  /** The number of payments. */
  PAYMENTS {
    @Override
    BigInteger cap(Limit limit) {
      return limit.maxCount() == null ? null : BigInteger.valueOf(limit.maxCount());
    }

    @Override
    BigInteger used(Usage usage) {
      return BigInteger.valueOf(usage.count());
    }

    @Override
    String unit(Limit limit) {
      return "payments";
    }

    @Override
    int scale(int assetDecimals) {
      return 0;
    }
  },

  /** Base units of the limit's asset, shown in whole units when the asset's decimals are known. */
  UNITS {
    @Override
    BigInteger cap(Limit limit) {
      return limit.maxUnits();
    }

    @Override
    BigInteger used(Usage usage) {
      return usage.units();
    }

    @Override
    String unit(Limit limit) {
      return limit.assetKey();
    }

    @Override
    int scale(int assetDecimals) {
      return assetDecimals;
    }
  };

  /** The measures {@code limit} caps, dollars first, then payments, then units. */
  static List<CapMeasure> of(Limit limit) {
    List<CapMeasure> measures = new ArrayList<>(1);
    for (CapMeasure measure : values()) {
      if (measure.cap(limit) != null) {
        measures.add(measure);
      }
    }
    return measures;
  }

  /** The cap in this measure's integer unit, or null when {@code limit} does not cap it. */
  abstract BigInteger cap(Limit limit);

  /** How much of this measure {@code usage} counts. */
  abstract BigInteger used(Usage usage);

  /** The unit amounts are shown in: {@code usd}, {@code payments} or the asset key. */
  abstract String unit(Limit limit);

  /** The decimal scale that turns integer amounts into shown ones. */
  abstract int scale(int assetDecimals);
}
