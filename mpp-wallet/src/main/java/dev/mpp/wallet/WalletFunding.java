package dev.mpp.wallet;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.policy.Spend;
import dev.mpp.wallet.rail.Funding;
import dev.mpp.wallet.rail.SessionRail;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The wallet's side of a {@link SessionRail} payment: the caps, prices and ledger of one agent,
 * created per authorization.
 */
final class WalletFunding implements Funding {
  private final PayingAgent payer;
  private final String rationale;
  private final Asset asset;
  private final LedgerStore ledger;
  private final Clock clock;
  private final Pricing pricing;

  /**
   * @param rationale why the offer was chosen, for the rail's ledger records
   * @param asset the chosen offer's asset, or null when the rail pays on its own initiative
   */
  WalletFunding(
      PayingAgent payer,
      String rationale,
      Asset asset,
      LedgerStore ledger,
      Clock clock,
      Pricing pricing) {
    this.payer = payer;
    this.rationale = rationale;
    this.asset = asset;
    this.ledger = ledger;
    this.clock = clock;
    this.pricing = pricing;
  }

  @Override
  public String agent() {
    return payer.agent();
  }

  @Override
  public String fleet() {
    return payer.fleet();
  }

  @Override
  public String rationale() {
    return rationale;
  }

  @Override
  public LedgerStore ledger() {
    return ledger;
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public List<Limit> limits(Asset of, Instant at) {
    return payer.limits(of.key(), at);
  }

  @Override
  public OptionalLong maxLockableUsdMicros() {
    return payer.maxLockableUsdMicros();
  }

  @Override
  public Optional<BigInteger> lockable(Asset of, BigInteger locked) {
    return new LockableRoom(ledger, this::usdMicros)
        .of(of, limits(of, now()), maxLockableUsdMicros(), locked);
  }

  @Override
  public long usdMicros(Money amount) {
    Pricing.Price price = pricing.price(amount);
    if (!price.known()) {
      throw new PaymentRefusedException(
          ErrorCode.NO_PAYABLE_OFFER,
          price.unpriced() != null ? price.unpriced() : price.invalid());
    }
    return price.usdMicros();
  }

  @Override
  public void check(PaymentContext context, Challenge challenge, Money amount) {
    Spend spend = Selection.spend(context.host(), challenge, amount, usdMicros(amount));
    Instant at = clock.instant();
    for (Selection.Scoped s : payer.scoped()) {
      Optional<PaymentDeniedException> denial = s.policy().check(spend, s.label(), at);
      if (denial.isPresent()) {
        throw denial.get();
      }
    }
  }

  @Override
  public String toString() {
    return "WalletFunding[agent=" + payer.agent() + (asset == null ? "" : ", asset=" + asset) + "]";
  }
}
