package dev.mpp.client;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The HTTP-agnostic payment flow: detect a 402, parse its offers, apply the safety rules, ask the
 * {@link Payer} for a credential, retry once with it, and report the outcome to the ledger. HTTP
 * adapters only translate their library's types into an {@link Exchange}.
 *
 * <p>Rules the flow enforces for every adapter:
 *
 * <ul>
 *   <li>pay at most once per logical request (opt-in {@link
 *       PaymentOptions.Configurer#maxPaymentAttempts} allows a fresh attempt only after a rejection
 *       that proves no money moved);
 *   <li>never pay an expired, digest-mismatched or malformed challenge;
 *   <li>credentials go only to {@code https} or loopback URLs (unless {@link
 *       PaymentOptions.Configurer#allowInsecureHttp}) and only to the origin that issued the
 *       challenge;
 *   <li>a second 402 after paying is reported, never answered by paying again automatically; the
 *       one exception is a session whose channel is gone ({@code 410} with problem type {@code
 *       session/channel-not-found} or {@code session/channel-finalized}): its voucher cannot
 *       settle, so the 410's fresh challenge is paid once (the payer opens a new channel);
 *   <li>a transport failure after sending records the payment as {@link PaymentState#UNKNOWN}.
 * </ul>
 *
 * <p>A payer may offer a credential for the first attempt ({@link Payer#preauthorize}), e.g. a
 * session voucher bound to a still-valid earlier challenge: then a paid request costs one round
 * trip. If the server answers it with a 402, the credential is rejected and that 402 is paid as
 * usual.
 *
 * <p>{@link #execute} and {@link #executeAsync} drive the same state machine, so they follow the
 * same rules. Instances are thread-safe; share one per agent. Their configuration ({@link
 * #options()}) is immutable; their one piece of state is the set of origins that have sent them a
 * Payment challenge (concurrent, bounded, only ever growing), which decides where {@link
 * AcceptPaymentMode#KNOWN_ORIGINS} advertises {@code Accept-Payment}.
 */
public final class PaymentFlow {

  /** When the first attempt of a request advertises {@code Accept-Payment}. */
  public enum AcceptPaymentMode {
    /** Only to origins that have sent this flow a Payment challenge before (the default). */
    KNOWN_ORIGINS,
    /** On every request. */
    ALWAYS,
    /** Never. */
    NEVER
  }

  private final FlowRules rules;
  private final Settlement settlement;

  private PaymentFlow(Payer payer, PaymentOptions options) {
    this.rules =
        new FlowRules(
            Objects.requireNonNull(payer, "payer"), Objects.requireNonNull(options, "options"));
    this.settlement = new Settlement(rules);
  }

  /** A flow that pays through {@code payer} as {@code options} say. */
  public static PaymentFlow create(Payer payer, PaymentOptions options) {
    return new PaymentFlow(payer, options);
  }

  /** Starts configuring a flow that pays through {@code payer}. */
  public static Builder builder(Payer payer) {
    return new Builder(payer);
  }

  /** The options this flow pays by. */
  public PaymentOptions options() {
    return rules.options;
  }

  /** The agent this flow pays for (used when an adapter does not name one). */
  public String agent() {
    return rules.options.agent();
  }

  /** The executor that runs signing and ledger work for asynchronous exchanges. */
  public Executor executor() {
    return rules.options.executor();
  }

  /**
   * A watcher for the body of a paid {@code text/event-stream} response to {@code context}: the
   * adapter feeds it the bytes as the caller reads them, and it has the payer pay each payment
   * event the server sends (a session's {@code payment-need-voucher}) before reading goes on.
   * Adapters use it only for responses to a request that carried a credential.
   */
  public EventStreamPayments eventStreamPayments(PaymentContext context) {
    return new EventStreamPayments(rules.payer, context, rules.options.listener());
  }

  /**
   * Runs one logical request on the calling thread: sends it, pays a 402 if allowed, and returns
   * the final response.
   *
   * @return the response to hand to the caller, with the payment record when one was made
   * @throws IOException when the first attempt fails in transport (nothing was paid)
   * @throws MppException when paying was refused, denied or failed (unless configured to return the
   *     402 as is), or {@link PaymentOutcomeUnknownException} when the paid attempt failed in
   *     transport
   */
  public <R> PaymentResult<R> execute(PaymentContext context, Exchange<R> exchange)
      throws IOException {
    return SyncFlowDriver.run(attempts(context, exchange), exchange);
  }

  /**
   * Asynchronous {@link #execute}: signing and ledger work run on {@link #executor()}, never on the
   * calling thread or the HTTP client's threads.
   */
  public <R> CompletableFuture<PaymentResult<R>> executeAsync(
      PaymentContext context, Exchange<R> exchange) {
    return AsyncFlowDriver.run(attempts(context, exchange), exchange, executor());
  }

  private <R> PaymentAttempts<R> attempts(PaymentContext context, Exchange<R> exchange) {
    return new PaymentAttempts<>(rules, settlement, context, exchange);
  }

  /**
   * Configures a {@link PaymentFlow}; the options and their defaults are those of {@link
   * PaymentOptions}, and each may be set once.
   */
  public static final class Builder extends PaymentOptions.Configurer<Builder> {
    private final Payer payer;

    private Builder(Payer payer) {
      this.payer = Objects.requireNonNull(payer, "payer");
    }

    /** Builds the flow. */
    public PaymentFlow build() {
      return new PaymentFlow(payer, buildOptions());
    }
  }
}
