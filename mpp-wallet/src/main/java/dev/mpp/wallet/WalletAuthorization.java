package dev.mpp.wallet;

import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Problem;
import dev.mpp.client.wire.Receipt;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.rail.Rail;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reserved, signed payment. The first outcome reported moves the ledger record; later reports
 * return that record unchanged, so a confused caller can never settle a released payment. A payment
 * the rail already settled (a mined push transaction) is never released: a rejection marks it
 * unknown, so it keeps counting until reconciled.
 */
final class WalletAuthorization implements PaymentAuthorization {
  private static final Logger log = LoggerFactory.getLogger(WalletAuthorization.class);

  private final Challenge challenge;
  private final Rail rail;
  private final String header;
  private final String railReference;
  private final String label;
  private final boolean settledByRail;
  private final LedgerStore ledger;
  private final Clock clock;
  private final PaymentRecord reserved;
  private PaymentRecord current;
  private boolean finished;

  WalletAuthorization(
      Challenge challenge,
      Rail rail,
      String header,
      String railReference,
      String label,
      boolean settledByRail,
      PaymentRecord reserved,
      LedgerStore ledger,
      Clock clock) {
    this.challenge = challenge;
    this.rail = rail;
    this.header = header;
    this.railReference = railReference;
    this.label = label;
    this.settledByRail = settledByRail;
    this.reserved = reserved;
    this.current = reserved;
    this.ledger = ledger;
    this.clock = clock;
  }

  @Override
  public Challenge challenge() {
    return challenge;
  }

  @Override
  public String authorizationHeader() {
    return header;
  }

  @Override
  public PaymentRecord record() {
    return reserved;
  }

  @Override
  public PaymentRecord settle(int httpStatus, Receipt receipt, String note) {
    StringBuilder detail = new StringBuilder("HTTP ").append(httpStatus);
    if (note != null) {
      detail.append("; ").append(note);
    }
    if (receipt != null) {
      if (!receipt.method().equals(challenge.method())) {
        detail.append("; receipt names method ").append(receipt.method());
      }
      receipt
          .text("challengeId")
          .filter(id -> !id.equals(challenge.id()))
          .ifPresent(id -> detail.append("; receipt names challenge ").append(id));
    }
    String reference = receipt != null ? receipt.reference() : railReference;
    return finish(
        PaymentState.PAID, reference, receipt == null ? null : receipt.raw(), detail.toString());
  }

  @Override
  public PaymentRecord release(String reason) {
    String why = Objects.requireNonNullElse(reason, "released");
    if (settledByRail) {
      // The rail settled before the credential was sent (a pushed transaction): a server
      // rejection cannot undo that, so the amount stays counted until someone reconciles it. A
      // reference alone proves nothing: an unsponsored pull knows its hash before the server
      // broadcasts anything.
      log.warn(
          "challenge {}: {}, but the rail already settled {}; kept as unknown until reconciled",
          challenge.id(),
          why,
          railReference);
      return finish(
          PaymentState.UNKNOWN,
          railReference,
          null,
          why + "; the rail had already settled " + railReference + " before sending");
    }
    return finish(PaymentState.RELEASED, null, null, why);
  }

  @Override
  public PaymentRecord unexpectedStatus(int httpStatus, Problem problem) {
    if (rail.provesNoSettlement(httpStatus, problem)) {
      return release("HTTP " + httpStatus + ": " + rail.method() + " says nothing settled");
    }
    return PaymentAuthorization.super.unexpectedStatus(httpStatus, problem);
  }

  @Override
  public PaymentRecord markUnknown(String reason) {
    return finish(
        PaymentState.UNKNOWN, railReference, null, Objects.requireNonNullElse(reason, "unknown"));
  }

  private synchronized PaymentRecord finish(
      PaymentState state, String reference, String receiptHeader, String detail) {
    if (finished) {
      return current;
    }
    finished = true;
    // The rail's label (e.g. "visa ••4242") says what paid; it is never a secret.
    String noted = label == null ? detail : label + "; " + detail;
    current = transition(ledger, clock, current, state, reference, receiptHeader, noted);
    return current;
  }

  /**
   * Moves {@code record} in the ledger. When the ledger fails, the stored record stays HELD, which
   * keeps counting against every cap until reconciled: the safe side. The returned copy says so.
   */
  static PaymentRecord transition(
      LedgerStore ledger,
      Clock clock,
      PaymentRecord record,
      PaymentState state,
      String reference,
      String receiptHeader,
      String detail) {
    try {
      return ledger.transition(
          record.id(), state, reference, receiptHeader, detail, clock.instant());
    } catch (RuntimeException e) {
      log.error(
          "ledger could not move payment {} to {}: {}; it stays {} and counted until reconciled",
          record.id(),
          state,
          e.getClass().getName(),
          record.state());
      return record.withState(
          record.state(),
          record.reference(),
          record.receiptHeader(),
          "ledger update to " + state + " failed (" + e.getClass().getSimpleName() + "): " + detail,
          clock.instant());
    }
  }

  @Override
  public String toString() {
    return "WalletAuthorization[record=" + reserved.id() + ", " + challenge + "]";
  }
}
