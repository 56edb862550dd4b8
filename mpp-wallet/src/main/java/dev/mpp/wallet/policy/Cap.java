package dev.mpp.wallet.policy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.wallet.Usd;
import dev.mpp.wallet.ledger.Limit;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A spending cap over a rolling {@link Window}: on the dollar amount, on the number of payments,
 * and (for one asset) on base units. Each set dimension becomes its own ledger {@link Limit}, so a
 * denial names exactly which one was hit.
 *
 * <p>Caps count what is paid to the merchant (the normalized amount), not the rail's own fees.
 *
 * @param window the period counted
 * @param assetKey counts only payments in this asset ({@code Asset.key()}, e.g. {@code
 *     tempo:4217:0x20c0…}), or null for all assets
 * @param maxUsdMicros the cap in micro-dollars, or null
 * @param maxCount the cap on the number of payments, or null
 * @param maxUnits the cap in the asset's base units (requires {@code assetKey}), or null
 */
public record Cap(
    Window window, String assetKey, Long maxUsdMicros, Long maxCount, BigInteger maxUnits) {

  /** Validates the components. */
  public Cap {
    Objects.requireNonNull(window, "window");
    if (maxUsdMicros == null && maxCount == null && maxUnits == null) {
      throw invalid("a cap needs a maximum amount, payment count or units");
    }
    if (maxUnits != null && assetKey == null) {
      throw invalid("a cap in base units needs an asset");
    }
    if (assetKey != null) {
      assetKey = assetKey.strip().toLowerCase(Locale.ROOT);
      if (assetKey.isEmpty()) {
        throw invalid("a cap's asset must not be blank");
      }
    }
    if ((maxUsdMicros != null && (maxUsdMicros < 0 || maxUsdMicros > Usd.MAX_MICROS))
        || (maxCount != null && maxCount < 0)
        || (maxUnits != null && maxUnits.signum() < 0)) {
      throw invalid("cap maxima must not be negative or out of range");
    }
  }

  /** A dollar cap over all assets. */
  public static Cap usd(Window window, long maxUsdMicros) {
    return new Cap(window, null, maxUsdMicros, null, null);
  }

  /** A cap on the number of payments. */
  public static Cap count(Window window, long maxPayments) {
    return new Cap(window, null, null, maxPayments, null);
  }

  /** A cap in base units of one asset. */
  public static Cap units(Window window, String assetKey, BigInteger maxUnits) {
    return new Cap(window, assetKey, null, null, maxUnits);
  }

  /**
   * The ledger limits this cap stands for, for {@code scope} at {@code now}. Rule names: {@code
   * <scope>/cap/<window>} (dollars), {@code <scope>/count/<window>} and {@code
   * <scope>/units/<window>}, with {@code /<asset>} appended for per-asset caps.
   */
  public List<Limit> limits(Limit.Scope scope, Instant now) {
    String suffix = "/" + window.label() + (assetKey == null ? "" : "/" + assetKey);
    Instant since = window.since(now);
    List<Limit> limits = new ArrayList<>(3);
    if (maxUsdMicros != null) {
      limits.add(
          new Limit(
              scope.label() + "/cap" + suffix, scope, since, maxUsdMicros, null, assetKey, null));
    }
    if (maxCount != null) {
      limits.add(
          new Limit(
              scope.label() + "/count" + suffix, scope, since, null, maxCount, assetKey, null));
    }
    if (maxUnits != null) {
      limits.add(
          new Limit(
              scope.label() + "/units" + suffix, scope, since, null, null, assetKey, maxUnits));
    }
    return limits;
  }

  private static ConfigurationException invalid(String message) {
    return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, message);
  }
}
