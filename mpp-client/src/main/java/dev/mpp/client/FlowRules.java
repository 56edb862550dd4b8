package dev.mpp.client;

import dev.mpp.client.wire.AcceptPayment;
import dev.mpp.client.wire.BodyDigest;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Challenges;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules one {@link PaymentFlow} applies before a credential leaves: which responses are
 * challenges, which offers may be paid, where a credential may go, and the headers every attempt
 * carries. Shared by all requests of a flow and thread-safe; the only state is the {@link
 * KnownOrigins} it fills.
 */
final class FlowRules {
  private static final Logger log = LoggerFactory.getLogger(PaymentFlow.class);

  final Payer payer;
  final PaymentOptions options;
  private final KnownOrigins knownOrigins = new KnownOrigins();

  FlowRules(Payer payer, PaymentOptions options) {
    this.payer = payer;
    this.options = options;
  }

  /**
   * Whether {@code response} carries challenges to pay: a 402, or after a credential was sent a 410
   * whose challenge replaces a session channel that is gone.
   */
  <R> boolean isChallenge(Exchange<R> exchange, R response, boolean afterCredential) {
    int status = exchange.status(response);
    return status == 402
        || (status == 410
            && afterCredential
            && !exchange.headers(response, "WWW-Authenticate").isEmpty());
  }

  /** Asks the payer for an up-front credential; never fails the request. */
  PaymentAuthorization preauthorize(PaymentContext context) {
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

  /** The headers of a first attempt without a credential: perhaps {@code Accept-Payment}. */
  Map<String, String> firstHeaders(PaymentContext context) {
    boolean advertise =
        switch (options.acceptPayment()) {
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

  /** The step that sends {@code authorization}'s credential. */
  <R> FlowStep<R> sendPaid(PaymentContext context, PaymentAuthorization authorization) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", authorization.authorizationHeader());
    if (!context.idempotent() && context.idempotencyKey() == null) {
      // Keeps a transport-level resend of this paid request from acting twice server-side.
      headers.put("Idempotency-Key", UUID.randomUUID().toString());
    }
    boolean safeToResend =
        context.idempotent()
            || headers.containsKey("Idempotency-Key")
            || context.idempotencyKey() != null;
    return new FlowStep.Send<>(
        Collections.unmodifiableMap(headers),
        true,
        safeToResend ? options.transportRetry() : TransportRetry.NONE);
  }

  /**
   * Parses the challenges of {@code response}, applies every rule and has the payer choose, reserve
   * and sign.
   *
   * @throws MppException when paying is refused, denied or failed; nothing was sent
   */
  <R> PaymentAuthorization authorize(PaymentContext context, Exchange<R> exchange, R response) {
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
    knownOrigins.add(issuer);
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
   * Paying {@code response} was refused: the caller gets it as is when so configured, else the
   * error (and the response is closed).
   */
  <R> PaymentResult<R> refuse(
      PaymentContext context, Exchange<R> exchange, R response, MppException error) {
    log.debug("not paying {}: {} ({})", context.origin(), error.code(), error.getMessage());
    notify(l -> l.failed(context, error));
    if (options.returnUnpaidResponses()) {
      return PaymentResult.unpaid(response);
    }
    exchange.discard(response);
    throw error;
  }

  /** Tells the listener; a failing listener never changes the payment's outcome. */
  void notify(Consumer<PaymentListener> event) {
    try {
      event.accept(options.listener());
    } catch (Exception e) {
      log.warn("payment listener failed: {}", e.toString());
    }
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
    if (scheme.equals("http") && options.allowInsecureHttp()) {
      return;
    }
    throw new PaymentRefusedException(
        ErrorCode.INSECURE_TRANSPORT,
        "refusing to send a credential over " + scheme + " to non-loopback " + context.origin());
  }

  private List<Challenge> payable(PaymentContext context, List<Challenge> valid) {
    Instant now = options.clock().instant();
    byte[] body = context.bodyBytes().orElse(new byte[0]);
    List<Challenge> offers = new ArrayList<>();
    int expired = 0;
    int mismatched = 0;
    for (Challenge challenge : valid) {
      if (challenge.isExpired(now, options.clockSkew())) {
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
}
