package dev.mpp.wallet.ledger;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.wallet.Asset;
import java.math.BigDecimal;
import java.math.BigInteger;

/** The arithmetic of one limit: whether a record falls under it and whether it still fits. */
final class LimitCheck {

  private LimitCheck() {}

  /** The {@link Asset#key()} of the record's asset, which per-asset limits and buckets use. */
  static String assetKey(PaymentRecord record) {
    return new Asset(record.method(), record.currency(), record.chainId(), record.decimals()).key();
  }

  /**
   * Refuses a limit on a scope the record does not belong to: such a limit could never see this
   * record's spend, so passing it is a wiring mistake, not a policy.
   */
  static void requireCovers(Limit limit, PaymentRecord record) {
    Limit.Scope scope = limit.scope();
    String owner = scope.kind() == Limit.Scope.Kind.AGENT ? record.agent() : record.fleet();
    if (!scope.name().equals(owner)) {
      throw new IllegalArgumentException(
          "limit "
              + limit.rule()
              + " is on "
              + scope.kind().name().toLowerCase(java.util.Locale.ROOT)
              + " "
              + scope.name()
              + ", which record "
              + record.id()
              + " does not belong to");
    }
  }

  /**
   * Throws the denial when adding {@code record} to {@code before} would exceed a cap of {@code
   * limit}. A per-asset limit of another asset is not affected by the record and never denies.
   */
  static void check(Limit limit, Usage before, PaymentRecord record, String assetKey) {
    if (limit.assetKey() != null && !limit.assetKey().equals(assetKey)) {
      return;
    }
    if (limit.maxUsdMicros() != null) {
      long max = limit.maxUsdMicros();
      if (before.usdMicros() > max - record.usdMicros()) {
        throw denial(
            limit,
            micros(record.usdMicros()),
            micros(max),
            micros(Math.max(0, max - before.usdMicros())),
            "usd");
      }
    }
    if (limit.maxCount() != null) {
      long max = limit.maxCount();
      if (before.count() >= max) {
        throw denial(
            limit,
            BigDecimal.ONE,
            BigDecimal.valueOf(max),
            BigDecimal.valueOf(Math.max(0, max - before.count())),
            "payments");
      }
    }
    if (limit.maxUnits() != null) {
      BigInteger max = limit.maxUnits();
      if (before.units().add(record.amount()).compareTo(max) > 0) {
        int decimals = record.decimals();
        throw denial(
            limit,
            new BigDecimal(record.amount(), decimals),
            new BigDecimal(max, decimals),
            new BigDecimal(max.subtract(before.units()).max(BigInteger.ZERO), decimals),
            limit.assetKey());
      }
    }
  }

  private static BigDecimal micros(long micros) {
    return BigDecimal.valueOf(micros, 6);
  }

  private static PaymentDeniedException denial(
      Limit limit, BigDecimal amount, BigDecimal max, BigDecimal remaining, String unit) {
    return new PaymentDeniedException(
        ErrorCode.POLICY_DENIED,
        limit.rule(),
        amount,
        max,
        remaining,
        unit,
        limit.rule()
            + ": "
            + amount.toPlainString()
            + " "
            + unit
            + " asked, "
            + remaining.toPlainString()
            + " of "
            + max.toPlainString()
            + " "
            + unit
            + " remaining");
  }
}
