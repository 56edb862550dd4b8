package dev.mpp.wallet.rail;

import dev.mpp.client.PaymentContext;
import dev.mpp.client.wire.Challenge;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Money;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the wallet gives a {@link SessionRail} for one payment: who pays, under which caps, how
 * amounts are priced, and the ledger to hold and capture in. Created by the wallet per
 * authorization, after the offer passed the policy's non-cap rules.
 */
public interface Funding {

  /** The paying agent. */
  String agent();

  /** The agent's fleet, or null. */
  String fleet();

  /** Why this offer was chosen (for ledger records). */
  String rationale();

  /** The ledger the wallet records in. */
  LedgerStore ledger();

  /** Now, by the wallet's clock. */
  Instant now();

  /**
   * Every cap of the agent and its fleet that applies to {@code asset} at {@code at}, for holds
   * (deposits, top-ups) to be reserved under.
   */
  List<Limit> limits(Asset asset, Instant at);

  /** The smallest {@code maxLockable} of the agent's and the fleet's policies, if any. */
  OptionalLong maxLockableUsdMicros();

  /**
   * How much more of {@code asset} the agent may lock now (a deposit or top-up), in base units,
   * rounding down: the smallest of the agent's and the fleet's {@code maxLockable} less {@code
   * locked}, and of what every cap on {@code asset} still allows given the ledger's usage. The
   * wallet does this arithmetic so that rails need not know how caps are counted.
   *
   * @param asset the asset to lock
   * @param locked what the rail already keeps locked for the same purpose (a channel's unspent
   *     deposit), counted against {@code maxLockable}; caps count it through the ledger already
   * @return the room, never negative; empty when neither a {@code maxLockable} nor a cap applies
   * @throws dev.mpp.client.PaymentRefusedException when the asset has no price and a USD limit
   *     applies
   */
  Optional<BigInteger> lockable(Asset asset, BigInteger locked);

  /**
   * The amount in micro-dollars, rounded up.
   *
   * @throws dev.mpp.client.PaymentRefusedException when the asset has no price
   */
  long usdMicros(Money amount);

  /**
   * Applies the agent's and the fleet's per-payment rules (expiry, allow and deny lists, {@code
   * maxPerPayment}) to {@code amount}, paid on {@code challenge} for {@code context}'s request on
   * the rail's own initiative, such as a voucher a streamed response asked for. Caps are not
   * checked here: they apply to the holds.
   *
   * @throws dev.mpp.client.PaymentDeniedException when a rule refuses it
   */
  void check(PaymentContext context, Challenge challenge, Money amount);
}
