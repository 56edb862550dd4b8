package dev.mpp.wallet;

/**
 * Hears about spend approaching a cap, e.g. to alert a human at 80% of a daily budget. Runs on the
 * paying thread right after the reservation that crossed the threshold; keep it quick. An exception
 * thrown here is logged and never affects the payment.
 */
@FunctionalInterface
public interface SpendListener {

  /**
   * Counted spend under a cap went from below {@code fraction × cap} to at or above it. Fires once
   * per crossing; after spend falls back (releases, the rolling window moving on) it can fire
   * again.
   */
  void thresholdCrossed(ThresholdCrossing crossing);
}
