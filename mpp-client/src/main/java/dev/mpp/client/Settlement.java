package dev.mpp.client;

import dev.mpp.client.wire.Problem;
import dev.mpp.client.wire.ProblemType;
import dev.mpp.client.wire.Receipt;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the answer to a credential means for the payment: settled, rejected (and whether paying
 * again is allowed), or unknown. Reports each outcome to the authorization (and so to the ledger)
 * and to the listener. Stateless and thread-safe.
 */
final class Settlement {
  private static final Logger log = LoggerFactory.getLogger(PaymentFlow.class);

  private final FlowRules rules;

  Settlement(FlowRules rules) {
    this.rules = rules;
  }

  /**
   * What one paid attempt led to.
   *
   * @param tryAgain the rejection proves nothing settled and its challenge is fresh
   * @param channelGone a session channel is gone (410): pay the response's challenge once more
   */
  record Outcome<R>(PaymentResult<R> result, boolean tryAgain, boolean channelGone) {}

  /**
   * Settles, releases or marks the payment from the paid response. After a transport resend, a
   * rejection may answer the resend of a credential the lost first send already spent, so it proves
   * nothing about settlement.
   */
  <R> Outcome<R> interpret(
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
      rules.notify(l -> l.paid(context, record));
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
      rules.notify(l -> l.rejected(context, record, problem));
      boolean fresh = type == ProblemType.INVALID_CHALLENGE || type == ProblemType.PAYMENT_EXPIRED;
      // The payer may know better than the problem type (e.g. a push it settled itself, or a
      // session voucher the server still holds): only a record it actually released allows paying
      // again.
      boolean released = record.state() == PaymentState.RELEASED;
      boolean tryAgain = status == 402 && released && fresh;
      return new Outcome<>(new PaymentResult<>(paid, record, problem), tryAgain, channelGone);
    }
    PaymentRecord record = authorization.unexpectedStatus(status, problem);
    if (record.state() == PaymentState.RELEASED) {
      // The payer knows this status proves nothing settled (e.g. a card/charge 409).
      log.debug("challenge {}: released on HTTP {}", authorization.challenge().id(), status);
      rules.notify(l -> l.rejected(context, record, problem));
    } else {
      log.debug("challenge {}: outcome unknown (HTTP {})", authorization.challenge().id(), status);
      rules.notify(l -> l.outcomeUnknown(context, record));
    }
    return new Outcome<>(new PaymentResult<>(paid, record, problem), false, false);
  }

  /** The server refused an up-front credential; its 402 (or 410) is then paid as usual. */
  <R> void rejectUpfront(
      PaymentContext context, Exchange<R> exchange, PaymentAuthorization upfront, R response) {
    Problem problem = problemOf(exchange, response);
    PaymentRecord record = upfront.reject(exchange.status(response), problem);
    log.debug(
        "up-front credential for challenge {} refused with HTTP {}",
        upfront.challenge().id(),
        exchange.status(response));
    rules.notify(l -> l.rejected(context, record, problem));
  }

  /** The credential went out but no answer came back: the payment may or may not have settled. */
  PaymentOutcomeUnknownException unknown(
      PaymentContext context, PaymentAuthorization authorization, Throwable cause) {
    String reason =
        "transport failed after the credential was sent: " + cause.getClass().getSimpleName();
    PaymentRecord record = authorization.markUnknown(reason);
    log.debug("challenge {}: {}", authorization.challenge().id(), reason);
    rules.notify(l -> l.outcomeUnknown(context, record));
    return new PaymentOutcomeUnknownException(
        reason, record, RedactedCause.scrub(cause, authorization.authorizationHeader()));
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
}
