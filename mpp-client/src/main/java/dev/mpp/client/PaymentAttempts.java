package dev.mpp.client;

import java.util.Objects;

/**
 * The payment state machine of one logical request, modelled on OkHttp's {@code
 * RetryAndFollowUpInterceptor}: {@link #start()} names the first request, and {@link #followUp}
 * turns each response into the next step, a request to send (with a credential) or the result. It
 * never does I/O on the HTTP library itself: {@link SyncFlowDriver} and {@link AsyncFlowDriver}
 * send what it asks for, so both paths follow exactly the same rules:
 *
 * <ul>
 *   <li>an up-front credential ({@link Payer#preauthorize}) goes with the first attempt; a 402 (or
 *       410 with a challenge) to it rejects it, and that challenge is paid as usual;
 *   <li>a challenge is paid at most {@link PaymentOptions#maxPaymentAttempts()} times, the second
 *       only after a rejection that proves no money moved;
 *   <li>a session whose channel is gone (410) is paid once more, without counting as an attempt;
 *   <li>every other answer to a credential is reported, never paid again.
 * </ul>
 *
 * <p>Not thread-safe: a driver calls one step at a time, each after the previous one returned (the
 * asynchronous driver chains them through futures, which orders their memory effects).
 *
 * @param <R> the HTTP library's response type
 */
final class PaymentAttempts<R> {
  private final FlowRules rules;
  private final Settlement settlement;
  private final PaymentContext context;
  private final Exchange<R> exchange;

  /** The credential the request in flight carries, or null when it carries none. */
  private PaymentAuthorization inFlight;

  /** Whether {@link #inFlight} is an up-front credential (it does not count as an attempt). */
  private boolean upfront;

  /** Whether a credential was sent before the response at hand. */
  private boolean afterCredential;

  private int attempt = 1;
  private boolean recoveredChannel;

  PaymentAttempts(
      FlowRules rules, Settlement settlement, PaymentContext context, Exchange<R> exchange) {
    this.rules = rules;
    this.settlement = settlement;
    this.context = Objects.requireNonNull(context, "context");
    this.exchange = Objects.requireNonNull(exchange, "exchange");
  }

  /** The first request: with an up-front credential when the payer offers one. May block. */
  FlowStep<R> start() {
    PaymentAuthorization preauthorized = rules.preauthorize(context);
    if (preauthorized == null) {
      return new FlowStep.Send<>(rules.firstHeaders(context), false, TransportRetry.NONE);
    }
    inFlight = preauthorized;
    upfront = true;
    return rules.sendPaid(context, preauthorized);
  }

  /**
   * Whether following up {@code response} may involve the payer or the ledger (and so block); when
   * not, {@link #followUp} only hands the response back.
   */
  boolean followUpBlocks(R response) {
    return inFlight != null || rules.isChallenge(exchange, response, afterCredential);
  }

  /**
   * The step after {@code response}, the answer to the last {@link FlowStep.Send}. May block (the
   * payer signs, the ledger records).
   *
   * @param resent whether the transport retry sent the request more than once
   * @throws MppException when paying was refused, denied or failed (the response is then closed),
   *     unless options say to return it
   */
  FlowStep<R> followUp(R response, boolean resent) {
    PaymentAuthorization answered = inFlight;
    if (answered == null) {
      return payOrReturn(response);
    }
    inFlight = null;
    afterCredential = true;
    if (upfront) {
      upfront = false;
      if (!rules.isChallenge(exchange, response, true) || resent) {
        return done(settlement.interpret(context, exchange, answered, response, resent).result());
      }
      settlement.rejectUpfront(context, exchange, answered, response);
      return pay(response);
    }
    Settlement.Outcome<R> outcome =
        settlement.interpret(context, exchange, answered, response, resent);
    if (outcome.channelGone() && !recoveredChannel) {
      // The session's channel is gone: the payer forgot it; pay the 410's fresh challenge once.
      recoveredChannel = true;
      return payOrReturn(response);
    }
    if (!outcome.tryAgain() || attempt >= rules.options.maxPaymentAttempts()) {
      return done(outcome.result());
    }
    attempt++;
    return payOrReturn(response);
  }

  /**
   * The request carrying a credential failed in transport after it may have been sent.
   *
   * @return the error to fail the request with; the payment is recorded as unknown
   */
  PaymentOutcomeUnknownException lost(Throwable cause) {
    PaymentAuthorization answered = Objects.requireNonNull(inFlight, "no credential in flight");
    inFlight = null;
    return settlement.unknown(context, answered, cause);
  }

  private FlowStep<R> payOrReturn(R response) {
    if (!rules.isChallenge(exchange, response, afterCredential)) {
      return done(PaymentResult.unpaid(response));
    }
    return pay(response);
  }

  private FlowStep<R> pay(R challenge) {
    PaymentAuthorization authorization;
    try {
      authorization = rules.authorize(context, exchange, challenge);
    } catch (MppException e) {
      return done(rules.refuse(context, exchange, challenge, e));
    } catch (RuntimeException | Error e) {
      exchange.discard(challenge);
      throw e;
    }
    exchange.discard(challenge);
    inFlight = authorization;
    return rules.sendPaid(context, authorization);
  }

  private static <R> FlowStep<R> done(PaymentResult<R> result) {
    return new FlowStep.Done<>(result);
  }
}
