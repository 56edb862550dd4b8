package dev.mpp.cli;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.RailPayment;
import java.util.List;

/**
 * Stands in for real rails when a command only reads the wallet ({@code budget}): a wallet needs a
 * rail, and this one can pay nothing, so no key is needed to look at a budget.
 */
final class ReportingRail implements Rail {
  static final ReportingRail INSTANCE = new ReportingRail();

  private ReportingRail() {}

  @Override
  public String method() {
    return "none";
  }

  @Override
  public List<String> intents() {
    return List.of();
  }

  @Override
  public Quote quote(Challenge challenge) {
    return Quote.unsupported("read-only wallet");
  }

  @Override
  public RailPayment pay(Challenge challenge, PaymentContext context) {
    throw new PaymentRefusedException(ErrorCode.NO_PAYABLE_OFFER, "read-only wallet cannot pay");
  }
}
