package dev.mpp.wallet;

import dev.mpp.client.PaymentRecord;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Reserved;
import dev.mpp.wallet.ledger.Usage;
import dev.mpp.wallet.policy.Policy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the {@link SpendListener}s which alert fractions of which caps a reservation crossed: from
 * below {@code fraction × cap} before it to at or above after it.
 */
final class ThresholdAlerts {
  private static final Logger log = LoggerFactory.getLogger(ThresholdAlerts.class);

  private final List<SpendListener> listeners;

  ThresholdAlerts(List<SpendListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** Notifies every listener of every crossing; a listener's exception is logged and ignored. */
  void reserved(Reserved reserved, PayingAgent payer) {
    if (listeners.isEmpty()) {
      return;
    }
    for (ThresholdCrossing crossing : crossings(reserved, payer)) {
      for (SpendListener listener : listeners) {
        try {
          listener.thresholdCrossed(crossing);
        } catch (RuntimeException e) {
          log.warn("spend listener failed: {}", e.getClass().getName());
        }
      }
    }
  }

  /** The crossings of {@code reserved}, per cap in the ledger's order, then per measure. */
  static List<ThresholdCrossing> crossings(Reserved reserved, PayingAgent payer) {
    PaymentRecord record = reserved.record();
    List<ThresholdCrossing> crossings = new ArrayList<>();
    for (Reserved.LimitUsage usage : reserved.usages()) {
      Limit limit = usage.limit();
      Optional<Policy> policy = payer.policyOf(limit.scope());
      if (policy.isEmpty() || policy.get().alertFractions().isEmpty()) {
        continue;
      }
      Usage after = limit.after(usage.before(), record);
      for (CapMeasure measure : CapMeasure.of(limit)) {
        BigInteger cap = measure.cap(limit);
        BigInteger used = measure.used(after);
        BigDecimal from = new BigDecimal(measure.used(usage.before()));
        BigDecimal to = new BigDecimal(used);
        int scale = measure.scale(record.decimals());
        for (BigDecimal fraction : policy.get().alertFractions()) {
          BigDecimal threshold = fraction.multiply(new BigDecimal(cap));
          if (from.compareTo(threshold) < 0 && threshold.compareTo(to) <= 0) {
            crossings.add(
                new ThresholdCrossing(
                    limit.scope(),
                    limit.rule(),
                    fraction,
                    new BigDecimal(used, scale),
                    new BigDecimal(cap, scale),
                    measure.unit(limit),
                    record));
          }
        }
      }
    }
    return crossings;
  }
}
