package dev.mpp.wallet.testing;

import dev.mpp.client.PaymentContext;
import dev.mpp.client.wire.AcceptPayment;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Problem;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.RailPayment;
import java.util.List;
import java.util.Objects;

/**
 * A rail that forwards every call to another, for tests that change one behaviour of a rail (what
 * {@link #pay} returns, which statuses {@link #provesNoSettlement}) and keep the rest.
 */
public abstract class ForwardingRail implements Rail {
  private final Rail delegate;

  /**
   * Forwards to {@code delegate}.
   *
   * @param delegate the rail whose behaviour is kept
   */
  protected ForwardingRail(Rail delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public String method() {
    return delegate.method();
  }

  @Override
  public List<String> intents() {
    return delegate.intents();
  }

  @Override
  public Quote quote(Challenge challenge) {
    return delegate.quote(challenge);
  }

  @Override
  public RailPayment pay(Challenge challenge, PaymentContext context) {
    return delegate.pay(challenge, context);
  }

  @Override
  public boolean provesNoSettlement(int httpStatus, Problem problem) {
    return delegate.provesNoSettlement(httpStatus, problem);
  }

  @Override
  public List<AcceptPayment.Range> acceptRanges() {
    return delegate.acceptRanges();
  }
}
