package dev.mpp.wallet;

import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Usage;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.ToLongFunction;

/**
 * How much more of one asset an agent may lock (a session deposit or top-up): the policies' {@code
 * maxLockable} less what is already locked, and what every cap still allows given the ledger's
 * usage. Answers {@link dev.mpp.wallet.rail.Funding#lockable}.
 */
final class LockableRoom {

  private final LedgerStore ledger;
  private final ToLongFunction<Money> usdMicros;

  /**
   * @param ledger where usage is counted
   * @param usdMicros prices an amount in micro-dollars, rounding up
   */
  LockableRoom(LedgerStore ledger, ToLongFunction<Money> usdMicros) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.usdMicros = Objects.requireNonNull(usdMicros, "usdMicros");
  }

  /**
   * The room in {@code asset}, in base units, never negative; empty when no bound applies.
   *
   * @param limits every cap of the agent and its fleet that applies now
   * @param maxLockableUsdMicros the smallest {@code maxLockable}, if any
   * @param locked what is already locked for the same purpose, counted against {@code maxLockable}
   */
  Optional<BigInteger> of(
      Asset asset, List<Limit> limits, OptionalLong maxLockableUsdMicros, BigInteger locked) {
    BigInteger least = null;
    if (maxLockableUsdMicros.isPresent()) {
      least = unitsFor(maxLockableUsdMicros.getAsLong(), asset).subtract(locked);
    }
    for (Limit limit : limits) {
      if (limit.assetKey() != null && !limit.assetKey().equals(asset.key())) {
        continue;
      }
      Optional<BigInteger> room = room(limit, asset);
      if (room.isPresent()) {
        least = least == null ? room.get() : least.min(room.get());
      }
    }
    return Optional.ofNullable(least).map(room -> room.max(BigInteger.ZERO));
  }

  /** What {@code limit} still allows in {@code asset}, if it bounds amounts or counts at all. */
  private Optional<BigInteger> room(Limit limit, Asset asset) {
    Usage used = ledger.usage(limit.scope(), limit.since(), limit.assetKey());
    BigInteger room = null;
    if (limit.maxUsdMicros() != null) {
      room = unitsFor(Math.max(0, limit.maxUsdMicros() - used.usdMicros()), asset);
    }
    if (limit.maxUnits() != null) {
      BigInteger units = limit.maxUnits().subtract(used.units()).max(BigInteger.ZERO);
      room = room == null ? units : room.min(units);
    }
    if (limit.maxCount() != null && used.count() >= limit.maxCount()) {
      room = BigInteger.ZERO;
    }
    return Optional.ofNullable(room);
  }

  /** The most base units of {@code asset} that {@code micros} buys (rounding down). */
  private BigInteger unitsFor(long micros, Asset asset) {
    BigInteger whole = BigInteger.TEN.pow(asset.decimals());
    long perWhole = usdMicros.applyAsLong(new Money(whole, asset));
    if (perWhole <= 0) {
      return BigInteger.ZERO;
    }
    return BigInteger.valueOf(micros).multiply(whole).divide(BigInteger.valueOf(perWhole));
  }
}
