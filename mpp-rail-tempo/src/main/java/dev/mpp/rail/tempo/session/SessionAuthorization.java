package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.Problem;
import dev.mpp.client.wire.Receipt;
import java.math.BigInteger;

/**
 * One session credential (an open or a voucher) and the ledger record of its increment. The first
 * outcome reported moves the record; later reports return it unchanged.
 *
 * <p>Unlike a charge, a refused voucher is never released: the server holds a valid signature for
 * the cumulative amount, so the increment stays counted (UNKNOWN) until the channel closes and the
 * books are reconciled with what the payee received.
 */
final class SessionAuthorization implements PaymentAuthorization {
  private final VoucherOutcomes outcomes;
  private final Challenge challenge;
  private final String header;
  private final ObjectNode payload;
  private final PaymentRecord record;
  private final ChannelKey key;
  private final Bytes32 channelId;
  private final BigInteger cumulative;
  private final boolean open;
  private final boolean upfront;
  private final PaymentContext context;
  private PaymentRecord outcome;

  SessionAuthorization(
      VoucherOutcomes outcomes,
      Challenge challenge,
      String header,
      ObjectNode payload,
      PaymentRecord record,
      ChannelKey key,
      Bytes32 channelId,
      BigInteger cumulative,
      boolean open,
      boolean upfront,
      PaymentContext context) {
    this.outcomes = outcomes;
    this.challenge = challenge;
    this.header = header;
    this.payload = payload;
    this.record = record;
    this.key = key;
    this.channelId = channelId;
    this.cumulative = cumulative;
    this.open = open;
    this.upfront = upfront;
    this.context = context;
  }

  /** The same credential bound to another challenge (a retry of the same request). */
  SessionAuthorization rebind(Challenge fresh, boolean upfrontAttempt) {
    String source = Credential.parse(header).source().orElse(null);
    String rebound = Credential.of(fresh, payload, source).toHeaderValue();
    return new SessionAuthorization(
        outcomes,
        fresh,
        rebound,
        payload,
        record,
        key,
        channelId,
        cumulative,
        open,
        upfrontAttempt,
        context);
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
    return record;
  }

  @Override
  public synchronized PaymentRecord settle(int httpStatus, Receipt receipt, String note) {
    if (outcome == null) {
      outcome = outcomes.accepted(this, httpStatus, receipt, note);
    }
    return outcome;
  }

  @Override
  public synchronized PaymentRecord release(String reason) {
    if (outcome == null) {
      outcome = outcomes.refused(this, 402, null);
    }
    return outcome;
  }

  @Override
  public synchronized PaymentRecord markUnknown(String reason) {
    if (outcome == null) {
      outcome = outcomes.unknown(this, reason);
    }
    return outcome;
  }

  @Override
  public synchronized PaymentRecord reject(int httpStatus, Problem problem) {
    if (outcome == null) {
      outcome = outcomes.refused(this, httpStatus, problem);
    }
    return outcome;
  }

  ChannelKey key() {
    return key;
  }

  Bytes32 channelId() {
    return channelId;
  }

  BigInteger cumulative() {
    return cumulative;
  }

  boolean isOpen() {
    return open;
  }

  boolean isUpfront() {
    return upfront;
  }

  PaymentContext context() {
    return context;
  }

  @Override
  public String toString() {
    return "SessionAuthorization["
        + (open ? "open " : "voucher ")
        + channelId
        + " cumulative="
        + cumulative
        + ", "
        + challenge
        + "]";
  }
}
