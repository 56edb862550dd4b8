package dev.mpp.client;

import dev.mpp.client.wire.AcceptPayment;
import dev.mpp.client.wire.BodyDigest;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Challenges;
import dev.mpp.client.wire.Problem;
import dev.mpp.client.wire.ProblemType;
import dev.mpp.client.wire.Receipt;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP-agnostic payment flow: detect a 402, parse its offers, apply the safety rules, ask the
 * {@link Payer} for a credential, retry once with it, and report the outcome to the ledger. HTTP
 * adapters only translate their library's types into an {@link Exchange}.
 *
 * <p>Rules the flow enforces for every adapter:
 *
 * <ul>
 *   <li>pay at most once per logical request (opt-in {@link Builder#maxPaymentAttempts} allows a
 *       fresh attempt only after a rejection that proves no money moved);
 *   <li>never pay an expired, digest-mismatched or malformed challenge;
 *   <li>credentials go only to {@code https} or loopback URLs (unless {@link
 *       Builder#allowInsecureHttp}) and only to the origin that issued the challenge;
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
 * <p>Instances are immutable and thread-safe; share one per agent.
 */
public final class PaymentFlow {
  private static final Logger log = LoggerFactory.getLogger(PaymentFlow.class);
  private static final int MAX_KNOWN_ORIGINS = 10_000;

  /** When the first attempt of a request advertises {@code Accept-Payment}. */
  public enum AcceptPaymentMode {
    /** Only to origins that have sent this flow a Payment challenge before (the default). */
    KNOWN_ORIGINS,
    /** On every request. */
    ALWAYS,
    /** Never. */
    NEVER
  }

  private final Payer payer;
  private final String agent;
  private final Clock clock;
  private final Duration clockSkew;
  private final boolean allowInsecureHttp;
  private final int maxPaymentAttempts;
  private final PaymentListener listener;
  private final TransportRetry transportRetry;
  private final AcceptPaymentMode acceptPaymentMode;
  private final boolean returnUnpaidResponses;
  private final Executor executor;
  private final Set<String> knownOrigins = ConcurrentHashMap.newKeySet();

  private PaymentFlow(Builder b) {
    this.payer = Objects.requireNonNull(b.payer, "payer");
    this.agent = b.agent;
    this.clock = b.clock;
    this.clockSkew = b.clockSkew;
    this.allowInsecureHttp = b.allowInsecureHttp;
    this.maxPaymentAttempts = b.maxPaymentAttempts;
    this.listener = b.listener;
    this.transportRetry = b.transportRetry;
    this.acceptPaymentMode = b.acceptPaymentMode;
    this.returnUnpaidResponses = b.returnUnpaidResponses;
    this.executor = b.executor != null ? b.executor : DefaultExecutor.INSTANCE;
  }

  /** Starts configuring a flow that pays through {@code payer}. */
  public static Builder builder(Payer payer) {
    return new Builder(payer);
  }

  /** The agent this flow pays for (used when an adapter does not name one). */
  public String agent() {
    return agent;
  }

  /** The executor that runs signing and ledger work for asynchronous exchanges. */
  public Executor executor() {
    return executor;
  }

  /**
   * A watcher for the body of a paid {@code text/event-stream} response to {@code context}: the
   * adapter feeds it the bytes as the caller reads them, and it has the payer pay each payment
   * event the server sends (a session's {@code payment-need-voucher}) before reading goes on.
   * Adapters use it only for responses to a request that carried a credential.
   */
  public EventStreamPayments eventStreamPayments(PaymentContext context) {
    return new EventStreamPayments(payer, context, listener);
  }

  /**
   * Runs one logical request: sends it, pays a 402 if allowed, and returns the final response.
   *
   * @return the response to hand to the caller, with the payment record when one was made
   * @throws IOException when the first attempt fails in transport (nothing was paid)
   * @throws MppException when paying was refused, denied or failed (unless configured to return the
   *     402 as is), or {@link PaymentOutcomeUnknownException} when the paid attempt failed in
   *     transport
   */
  public <R> PaymentResult<R> execute(PaymentContext context, Exchange<R> exchange)
      throws IOException {
    PaymentAuthorization upfront = preauthorize(context);
    R response;
    if (upfront == null) {
      response = exchange.send(firstHeaders(context));
    } else {
      Map<String, String> headers = paidHeaders(context, upfront);
      R paid;
      AtomicInteger sends = new AtomicInteger();
      try {
        paid =
            retryFor(context, headers)
                .call(
                    () -> {
                      sends.incrementAndGet();
                      return exchange.send(headers);
                    });
      } catch (IOException | RuntimeException e) {
        throw unknown(context, upfront, e);
      }
      if (!isChallenge(exchange, paid, true) || sends.get() > 1) {
        return interpret(context, exchange, upfront, paid, sends.get() > 1).result;
      }
      rejectUpfront(context, exchange, upfront, paid);
      response = paid;
    }
    boolean recovered = false;
    for (int attempt = 1; ; attempt++) {
      if (!isChallenge(exchange, response, attempt > 1 || upfront != null)) {
        return PaymentResult.unpaid(response);
      }
      PaymentAuthorization authorization;
      try {
        authorization = authorize(context, exchange, response);
      } catch (MppException e) {
        return refuse(context, exchange, response, e);
      } catch (RuntimeException | Error e) {
        exchange.discard(response);
        throw e;
      }
      exchange.discard(response);
      Map<String, String> headers = paidHeaders(context, authorization);
      R paid;
      AtomicInteger sends = new AtomicInteger();
      try {
        paid =
            retryFor(context, headers)
                .call(
                    () -> {
                      sends.incrementAndGet();
                      return exchange.send(headers);
                    });
      } catch (IOException | RuntimeException e) {
        throw unknown(context, authorization, e);
      }
      Outcome<R> outcome = interpret(context, exchange, authorization, paid, sends.get() > 1);
      if (outcome.channelGone && !recovered) {
        // The session's channel is gone: the payer forgot it; pay the 410's fresh challenge once.
        recovered = true;
        attempt--;
        response = paid;
        continue;
      }
      if (!outcome.tryAgain || attempt >= maxPaymentAttempts) {
        return outcome.result;
      }
      response = paid;
    }
  }

  /**
   * Whether {@code response} carries challenges to pay: a 402, or after a paid attempt a 410 whose
   * challenge replaces a session channel that is gone.
   */
  private <R> boolean isChallenge(Exchange<R> exchange, R response, boolean afterCredential) {
    int status = exchange.status(response);
    return status == 402
        || (status == 410
            && afterCredential
            && !exchange.headers(response, "WWW-Authenticate").isEmpty());
  }

  /** Asks the payer for an up-front credential; never fails the request. */
  private PaymentAuthorization preauthorize(PaymentContext context) {
    if (!context.replayable()) {
      return null; // a rejected up-front credential needs the body again for the paid retry
    }
    try {
      checkTransport(context);
      PaymentAuthorization upfront = payer.preauthorize(context).orElse(null);
      if (upfront != null) {
        log.debug(
            "paying {} up front with challenge {}", context.origin(), upfront.challenge().id());
        notify(l -> l.credentialCreated(context, upfront.challenge()));
      }
      return upfront;
    } catch (RuntimeException e) {
      log.debug("no up-front payment for {}: {}", context.origin(), e.toString());
      return null;
    }
  }

  /** The server refused an up-front credential; its 402 (or 410) is then paid as usual. */
  private <R> void rejectUpfront(
      PaymentContext context, Exchange<R> exchange, PaymentAuthorization upfront, R response) {
    Problem problem = problemOf(exchange, response);
    PaymentRecord record = upfront.reject(exchange.status(response), problem);
    log.debug(
        "up-front credential for challenge {} refused with HTTP {}",
        upfront.challenge().id(),
        exchange.status(response));
    notify(l -> l.rejected(context, record, problem));
  }

  /**
   * Asynchronous {@link #execute}: signing and ledger work run on {@link #executor()}, never on the
   * calling thread or the HTTP client's threads.
   */
  public <R> CompletableFuture<PaymentResult<R>> executeAsync(
      PaymentContext context, Exchange<R> exchange) {
    return CompletableFuture.supplyAsync(() -> preauthorize(context), executor)
        .thenCompose(
            upfront -> {
              if (upfront == null) {
                return sendAsync(exchange, firstHeaders(context))
                    .thenCompose(
                        response -> continueAsync(context, exchange, response, 1, false, false));
              }
              Map<String, String> headers = paidHeaders(context, upfront);
              AtomicInteger sends = new AtomicInteger();
              return retryFor(context, headers)
                  .callAsync(
                      () -> {
                        sends.incrementAndGet();
                        return sendAsync(exchange, headers);
                      })
                  .handleAsync(
                      (paid, error) -> {
                        if (error != null) {
                          throw unknown(context, upfront, unwrap(error));
                        }
                        if (!isChallenge(exchange, paid, true) || sends.get() > 1) {
                          return CompletableFuture.completedFuture(
                              interpret(context, exchange, upfront, paid, sends.get() > 1).result);
                        }
                        rejectUpfront(context, exchange, upfront, paid);
                        return continueAsync(context, exchange, paid, 1, true, false);
                      },
                      executor)
                  .thenCompose(future -> future);
            });
  }

  /** An adapter that throws instead of returning a failed future still yields a future. */
  private static <R> CompletableFuture<R> sendAsync(
      Exchange<R> exchange, Map<String, String> headers) {
    try {
      return Objects.requireNonNull(exchange.sendAsync(headers), "sendAsync returned null");
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private <R> CompletableFuture<PaymentResult<R>> continueAsync(
      PaymentContext context,
      Exchange<R> exchange,
      R response,
      int attempt,
      boolean afterCredential,
      boolean recovered) {
    if (!isChallenge(exchange, response, afterCredential)) {
      return CompletableFuture.completedFuture(PaymentResult.unpaid(response));
    }
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return authorize(context, exchange, response);
              } catch (MppException e) {
                throw new CompletionException(new Refused(e));
              }
            },
            executor)
        .handle(
            (authorization, error) -> {
              if (error != null) {
                Throwable cause = unwrap(error);
                if (cause instanceof Refused refused) {
                  return CompletableFuture.completedFuture(
                      refuse(context, exchange, response, refused.error));
                }
                exchange.discard(response);
                return CompletableFuture.<PaymentResult<R>>failedFuture(cause);
              }
              exchange.discard(response);
              return sendPaidAsync(context, exchange, authorization, attempt, recovered);
            })
        .thenCompose(future -> future);
  }

  private <R> CompletableFuture<PaymentResult<R>> sendPaidAsync(
      PaymentContext context,
      Exchange<R> exchange,
      PaymentAuthorization authorization,
      int n,
      boolean recovered) {
    Map<String, String> headers = paidHeaders(context, authorization);
    AtomicInteger sends = new AtomicInteger();
    CompletableFuture<R> sent;
    try {
      sent =
          retryFor(context, headers)
              .callAsync(
                  () -> {
                    sends.incrementAndGet();
                    return sendAsync(exchange, headers);
                  });
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handleAsync(
            (paid, error) -> {
              if (error != null) {
                throw unknown(context, authorization, unwrap(error));
              }
              return interpret(context, exchange, authorization, paid, sends.get() > 1);
            },
            executor)
        .thenCompose(
            outcome -> {
              if (outcome.channelGone && !recovered) {
                return continueAsync(context, exchange, outcome.result.response(), n, true, true);
              }
              return outcome.tryAgain && n < maxPaymentAttempts
                  ? continueAsync(
                      context, exchange, outcome.result.response(), n + 1, true, recovered)
                  : CompletableFuture.completedFuture(outcome.result);
            });
  }

  private Map<String, String> firstHeaders(PaymentContext context) {
    boolean advertise =
        switch (acceptPaymentMode) {
          case ALWAYS -> true;
          case NEVER -> false;
          case KNOWN_ORIGINS -> knownOrigins.contains(context.origin());
        };
    if (advertise) {
      try {
        AcceptPayment accept = payer.acceptPayment();
        if (accept != null && !accept.ranges().isEmpty()) {
          return Map.of("Accept-Payment", accept.toString());
        }
      } catch (RuntimeException e) {
        // Accept-Payment only helps the server choose; its absence never blocks a request.
        log.warn("payer could not list its Accept-Payment ranges: {}", e.toString());
      }
    }
    return Map.of();
  }

  private Map<String, String> paidHeaders(
      PaymentContext context, PaymentAuthorization authorization) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", authorization.authorizationHeader());
    if (!context.idempotent() && context.idempotencyKey() == null) {
      // Keeps a transport-level resend of this paid request from acting twice server-side.
      headers.put("Idempotency-Key", UUID.randomUUID().toString());
    }
    return Collections.unmodifiableMap(headers);
  }

  private TransportRetry retryFor(PaymentContext context, Map<String, String> headers) {
    boolean safeToResend =
        context.idempotent()
            || headers.containsKey("Idempotency-Key")
            || context.idempotencyKey() != null;
    return safeToResend ? transportRetry : TransportRetry.NONE;
  }

  private <R> PaymentAuthorization authorize(
      PaymentContext context, Exchange<R> exchange, R response) {
    Challenges challenges = Challenge.parseAll(exchange.headers(response, "WWW-Authenticate"));
    notify(l -> l.challengesReceived(context, challenges));
    for (Challenges.Invalid invalid : challenges.invalid()) {
      log.debug(
          "ignoring invalid challenge from {}: {} ({})",
          context.origin(),
          invalid.error().code(),
          invalid.error().getMessage());
    }
    if (challenges.valid().isEmpty()) {
      if (!challenges.invalid().isEmpty()) {
        throw challenges.invalid().get(0).error();
      }
      throw new PaymentRefusedException(
          ErrorCode.NO_PAYMENT_CHALLENGE, "402 response carries no Payment challenge");
    }
    URI responseUrl = exchange.url(response);
    String issuer =
        responseUrl == null || responseUrl.getScheme() == null || responseUrl.getHost() == null
            ? "an unknown origin"
            : Origins.of(responseUrl);
    if (!issuer.equals(context.origin())) {
      throw new PaymentRefusedException(
          ErrorCode.CROSS_ORIGIN,
          "challenge issued by " + issuer + " but the request targets " + context.origin());
    }
    if (knownOrigins.size() < MAX_KNOWN_ORIGINS) {
      knownOrigins.add(issuer);
    }
    checkTransport(context);
    if (!context.replayable()) {
      throw new PaymentRefusedException(
          ErrorCode.BODY_NOT_REPLAYABLE,
          "request body cannot be sent again for the paid retry; use a replayable body");
    }
    List<Challenge> offers = payable(context, challenges.valid());
    PaymentAuthorization authorization = payer.authorize(context, List.copyOf(offers));
    if (authorization == null) {
      throw new PaymentFailedException(ErrorCode.RAIL_FAILED, "payer returned no authorization");
    }
    if (!offers.contains(authorization.challenge())) {
      authorization.release("payer answered a challenge that was not offered");
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "payer answered a challenge that was not offered");
    }
    if (!isSafeCredentialHeader(authorization.authorizationHeader())) {
      authorization.release("payer built an unusable Authorization header; nothing was sent");
      throw new ProtocolException(
          ErrorCode.UNSAFE_HEADER_VALUE,
          "payer built an Authorization header that is not 'Payment <token>' in visible ASCII");
    }
    Challenge chosen = authorization.challenge();
    String rationale = authorization.record().rationale();
    log.debug(
        "paying challenge {} from {} via {}/{}: {}",
        chosen.id(),
        issuer,
        chosen.method(),
        chosen.intent(),
        rationale);
    notify(l -> l.offerChosen(context, chosen, rationale));
    notify(l -> l.credentialCreated(context, chosen));
    return authorization;
  }

  /**
   * {@code Payment <base64url>} in visible ASCII only: anything else could split the request (CR,
   * LF) or be rejected by the HTTP library after the payer already reserved the amount.
   */
  private static boolean isSafeCredentialHeader(String value) {
    if (value == null || !value.startsWith("Payment ") || value.length() == "Payment ".length()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  private void checkTransport(PaymentContext context) {
    String scheme = context.url().getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https") || Origins.isLoopback(context.url())) {
      return;
    }
    if (scheme.equals("http") && allowInsecureHttp) {
      return;
    }
    throw new PaymentRefusedException(
        ErrorCode.INSECURE_TRANSPORT,
        "refusing to send a credential over " + scheme + " to non-loopback " + context.origin());
  }

  private List<Challenge> payable(PaymentContext context, List<Challenge> valid) {
    Instant now = clock.instant();
    byte[] body = context.bodyBytes().orElse(new byte[0]);
    List<Challenge> offers = new ArrayList<>();
    int expired = 0;
    int mismatched = 0;
    for (Challenge challenge : valid) {
      if (challenge.isExpired(now, clockSkew)) {
        expired++;
      } else if (challenge.digest().map(d -> !d.matches(body)).orElse(false)) {
        mismatched++;
      } else {
        offers.add(challenge);
      }
    }
    if (offers.isEmpty()) {
      if (mismatched > 0) {
        throw new PaymentRefusedException(
            ErrorCode.DIGEST_MISMATCH,
            "challenge digest does not match the request body (" + BodyDigest.sha256(body) + ")");
      }
      throw new PaymentRefusedException(
          ErrorCode.CHALLENGE_EXPIRED, expired + " offered challenge(s) expired");
    }
    return offers;
  }

  /**
   * Settles, releases or marks the payment from the paid response. After a transport resend, a
   * rejection may answer the resend of a credential the lost first send already spent, so it proves
   * nothing about settlement.
   */
  private <R> Outcome<R> interpret(
      PaymentContext context,
      Exchange<R> exchange,
      PaymentAuthorization authorization,
      R paid,
      boolean resent) {
    int status = exchange.status(paid);
    Receipt receipt = null;
    String note = null;
    List<String> receipts = exchange.headers(paid, "Payment-Receipt");
    if (!receipts.isEmpty()) {
      try {
        receipt = Receipt.parse(receipts.get(0));
      } catch (ProtocolException e) {
        note = "invalid Payment-Receipt: " + e.getMessage();
      }
    }
    if (receipt != null || (status >= 200 && status < 300)) {
      if (receipt == null && note == null) {
        note = "server sent no Payment-Receipt";
      }
      PaymentRecord record = authorization.settle(status, receipt, note);
      log.debug("paid challenge {}: HTTP {}", authorization.challenge().id(), status);
      notify(l -> l.paid(context, record));
      return new Outcome<>(new PaymentResult<>(paid, record, null), false, false);
    }
    Problem problem = problemOf(exchange, paid);
    ProblemType type = problem == null ? ProblemType.UNKNOWN : problem.type();
    // A 410 to a session credential means the channel is gone (draft-tempo-session); some
    // adapters only buffer 402 bodies, so the problem type may be unknown here.
    boolean channelGone =
        status == 410
            && (type.channelGone()
                || (problem == null && "session".equals(authorization.challenge().intent())));
    if (status == 402 || channelGone) {
      String reason =
          "credential rejected with "
              + status
              + " "
              + (problem == null ? "(no problem details)" : problem.typeUri().orElse("about:blank"))
              + (resent ? " after a transport resend" : "");
      PaymentRecord record =
          resent && !channelGone
              ? authorization.markUnknown(reason)
              : authorization.reject(status, problem);
      log.debug("challenge {}: {}", authorization.challenge().id(), reason);
      notify(l -> l.rejected(context, record, problem));
      boolean fresh = type == ProblemType.INVALID_CHALLENGE || type == ProblemType.PAYMENT_EXPIRED;
      // The payer may know better than the problem type (e.g. a push it settled itself, or a
      // session voucher the server still holds): only a record it actually released allows paying
      // again.
      boolean released = record.state() == PaymentState.RELEASED;
      boolean tryAgain = status == 402 && released && fresh;
      return new Outcome<>(new PaymentResult<>(paid, record, problem), tryAgain, channelGone);
    }
    PaymentRecord record =
        authorization.markUnknown("HTTP " + status + " after the credential was sent");
    log.debug("challenge {}: outcome unknown (HTTP {})", authorization.challenge().id(), status);
    notify(l -> l.outcomeUnknown(context, record));
    return new Outcome<>(new PaymentResult<>(paid, record, problem), false, false);
  }

  private static <R> Problem problemOf(Exchange<R> exchange, R response) {
    try {
      byte[] body = exchange.peekBody(response, Problem.MAX_BYTES);
      return body == null || body.length == 0 ? null : Problem.parse(body);
    } catch (IOException | RuntimeException e) {
      // Without readable problem details the rejection counts as "money may have moved".
      return null;
    }
  }

  private PaymentOutcomeUnknownException unknown(
      PaymentContext context, PaymentAuthorization authorization, Throwable cause) {
    String reason =
        "transport failed after the credential was sent: " + cause.getClass().getSimpleName();
    PaymentRecord record = authorization.markUnknown(reason);
    log.debug("challenge {}: {}", authorization.challenge().id(), reason);
    notify(l -> l.outcomeUnknown(context, record));
    return new PaymentOutcomeUnknownException(
        reason, record, RedactedCause.scrub(cause, authorization.authorizationHeader()));
  }

  private <R> PaymentResult<R> refuse(
      PaymentContext context, Exchange<R> exchange, R response, MppException error) {
    log.debug("not paying {}: {} ({})", context.origin(), error.code(), error.getMessage());
    notify(l -> l.failed(context, error));
    if (returnUnpaidResponses) {
      return PaymentResult.unpaid(response);
    }
    exchange.discard(response);
    throw error;
  }

  private void notify(Consumer<PaymentListener> event) {
    try {
      event.accept(listener);
    } catch (Exception e) {
      log.warn("payment listener failed: {}", e.toString());
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * What one paid attempt led to.
   *
   * @param tryAgain the rejection proves nothing settled and its challenge is fresh
   * @param channelGone a session channel is gone (410): pay the response's challenge once more
   */
  private record Outcome<R>(PaymentResult<R> result, boolean tryAgain, boolean channelGone) {}

  /** Carries a refusal through a future without confusing it with an execution failure. */
  private static final class Refused extends RuntimeException {
    final MppException error;

    Refused(MppException error) {
      super(null, null, false, false);
      this.error = error;
    }
  }

  /** Signing and ledger I/O block, so they get daemon threads of their own by default. */
  private static final class DefaultExecutor {
    static final ExecutorService INSTANCE =
        Executors.newCachedThreadPool(
            new java.util.concurrent.ThreadFactory() {
              private final AtomicInteger count = new AtomicInteger();

              @Override
              public Thread newThread(Runnable task) {
                Thread thread = new Thread(task, "mpp-pay-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              }
            });
  }

  /** Configures a {@link PaymentFlow}. */
  public static final class Builder {
    private final Payer payer;
    private String agent = "default";
    private Clock clock = Clock.systemUTC();
    private Duration clockSkew = Duration.ofSeconds(5);
    private boolean allowInsecureHttp;
    private int maxPaymentAttempts = 1;
    private PaymentListener listener = new PaymentListener() {};
    private TransportRetry transportRetry = TransportRetry.NONE;
    private AcceptPaymentMode acceptPaymentMode = AcceptPaymentMode.KNOWN_ORIGINS;
    private boolean returnUnpaidResponses;
    private Executor executor;

    private Builder(Payer payer) {
      this.payer = Objects.requireNonNull(payer, "payer");
    }

    /** The agent whose policy applies (default {@code default}). */
    public Builder agent(String agent) {
      if (agent == null || agent.isBlank()) {
        throw new ConfigurationException(
            ErrorCode.INVALID_CONFIGURATION, "agent name must not be blank");
      }
      this.agent = agent;
      return this;
    }

    /** The clock used for expiry checks (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How far clocks may disagree when checking {@code expires} (default 5 s). A challenge that
     * expires within this margin of now counts as expired and is never paid; see {@link
     * Challenge#isExpired}.
     */
    public Builder clockSkew(Duration skew) {
      if (skew.isNegative()) {
        throw new ConfigurationException(
            ErrorCode.INVALID_CONFIGURATION, "clock skew must not be negative");
      }
      this.clockSkew = skew;
      return this;
    }

    /** Allows credentials over plain {@code http} to non-loopback hosts (default false). */
    public Builder allowInsecureHttp(boolean allow) {
      this.allowInsecureHttp = allow;
      return this;
    }

    /**
     * How many payments one logical request may make, 1 or 2 (default 1). The second attempt
     * happens only after the server rejected the first credential with {@code invalid-challenge} or
     * {@code payment-expired}, which prove that no money moved, and answers the fresh challenge of
     * that rejection.
     */
    public Builder maxPaymentAttempts(int attempts) {
      if (attempts < 1 || attempts > 2) {
        throw new ConfigurationException(
            ErrorCode.INVALID_CONFIGURATION, "maxPaymentAttempts must be 1 or 2");
      }
      this.maxPaymentAttempts = attempts;
      return this;
    }

    /** Observes the flow (default none). */
    public Builder listener(PaymentListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Resends the same credential after transport failures (default never). */
    public Builder transportRetry(TransportRetry retry) {
      this.transportRetry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /**
     * When to advertise {@code Accept-Payment} (default {@link AcceptPaymentMode#KNOWN_ORIGINS}).
     */
    public Builder acceptPayment(AcceptPaymentMode mode) {
      this.acceptPaymentMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * When paying is refused or denied, return the 402 response as is instead of throwing (default
     * false: throw the typed {@link MppException}).
     */
    public Builder returnUnpaidResponses(boolean returnUnpaid) {
      this.returnUnpaidResponses = returnUnpaid;
      return this;
    }

    /** Runs signing and ledger work of asynchronous exchanges (default: shared daemon pool). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Builds the flow. */
    public PaymentFlow build() {
      return new PaymentFlow(this);
    }
  }
}
