package dev.mpp.rail.tempo.session;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.wallet.rail.Funding;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/**
 * How much a deposit or top-up may be: the configured {@code maxDeposit} less what the channel
 * keeps unspent, the server's {@code suggestedDeposit}, what the wallet lets the agent lock ({@link
 * Funding#lockable}: {@code maxLockable} and every cap), and what the protocol can represent.
 */
final class DepositSizing {

  private final TempoSessionConfig config;

  DepositSizing(TempoSessionConfig config) {
    this.config = config;
  }

  /**
   * The most a channel may newly lock.
   *
   * @param unspent what the channel keeps deposited and unspent (zero for a new channel)
   * @return the amount, never negative
   */
  BigInteger allowed(SessionRequest request, Funding funding, BigInteger unspent) {
    BigInteger amount = config.maxDeposit().subtract(unspent);
    if (request.suggestedDeposit() != null) {
      amount = amount.min(request.suggestedDeposit());
    }
    Optional<BigInteger> lockable = funding.lockable(ChannelLedger.asset(request), unspent);
    if (lockable.isPresent()) {
      amount = amount.min(lockable.get());
    }
    return amount.min(request.protocol().maxAmount()).max(BigInteger.ZERO);
  }

  /**
   * The deposit of a new channel.
   *
   * @throws PaymentDeniedException when less than one price is allowed
   */
  BigInteger deposit(SessionRequest request, Funding funding) {
    BigInteger deposit = allowed(request, funding, BigInteger.ZERO);
    BigInteger price = request.amount();
    if (deposit.compareTo(price) < 0) {
      throw denied(
          "session deposit",
          "the policy and budget allow a deposit of "
              + deposit
              + ", less than the price of one "
              + (request.unitType() == null ? "unit" : request.unitType())
              + " ("
              + price
              + ")",
          deposit,
          price);
    }
    return deposit;
  }

  /**
   * The top-up of {@code channel} that lets it sign {@code price} more.
   *
   * @throws PaymentDeniedException when less than needed is allowed
   */
  BigInteger topUp(
      SessionRequest request, Funding funding, ChannelState channel, BigInteger price) {
    BigInteger needed = channel.highestSigned().add(price).subtract(channel.deposit());
    BigInteger additional = allowed(request, funding, channel.unspent());
    if (additional.compareTo(needed) < 0) {
      throw denied(
          "session top-up",
          "the policy and budget allow a top-up of " + additional + ", " + needed + " is needed",
          additional,
          needed);
    }
    return additional;
  }

  private static PaymentDeniedException denied(
      String rule, String message, BigInteger amount, BigInteger needed) {
    return new PaymentDeniedException(
        ErrorCode.POLICY_DENIED,
        rule,
        new BigDecimal(needed, ChannelLedger.DECIMALS),
        null,
        new BigDecimal(amount, ChannelLedger.DECIMALS),
        "units",
        "tempo session: " + message);
  }
}
