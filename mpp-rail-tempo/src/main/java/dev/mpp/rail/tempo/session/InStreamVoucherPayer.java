package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentOutcomeUnknownException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.ProtocolException;
import dev.mpp.client.StreamEvent;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Problem;
import dev.mpp.client.wire.Receipt;
import dev.mpp.wallet.Money;
import dev.mpp.wallet.rail.Funding;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays a stream's {@code payment-need-voucher} events: signs a voucher for the required amount
 * (topping the channel up first when the deposit is short) and POSTs it to the stream's URL, as the
 * session spec asks; returns once the server accepted it, so the stream resumes.
 */
final class InStreamVoucherPayer {
  private static final Logger log = LoggerFactory.getLogger(InStreamVoucherPayer.class);

  private final TempoSessionConfig config;
  private final Channels channels;
  private final ChannelLedger books;
  private final SessionSigner signer;
  private final SessionServer server;
  private final UpFrontRoutes routes;
  private final TopUp topUp;
  private final Vouchers vouchers;

  InStreamVoucherPayer(
      TempoSessionConfig config,
      Channels channels,
      ChannelLedger books,
      SessionSigner signer,
      SessionServer server,
      UpFrontRoutes routes,
      TopUp topUp,
      Vouchers vouchers) {
    this.config = config;
    this.channels = channels;
    this.books = books;
    this.signer = signer;
    this.server = server;
    this.routes = routes;
    this.topUp = topUp;
    this.vouchers = vouchers;
  }

  /**
   * Pays {@code event} if it is a demand on one of this rail's channels.
   *
   * @return false when the event is no demand or names a channel this rail does not know
   */
  boolean pay(PaymentContext context, StreamEvent event, Funding funding, long deadline) {
    if (!event.isPaymentDemand()) {
      return false;
    }
    NeedVoucher need = NeedVoucher.parse(event.data());
    Optional<ChannelState> known = channels.store().find(need.channelId());
    if (known.isEmpty()) {
      return false;
    }
    ChannelKey key = known.get().key();
    if (!key.agent().equals(funding.agent()) || !key.origin().equals(context.origin())) {
      throw new PaymentRefusedException(
          ErrorCode.UNSUPPORTED_REQUEST,
          "tempo session: the stream asks for a voucher on channel "
              + need.channelId()
              + ", which is not "
              + funding.agent()
              + "'s channel with "
              + context.origin());
    }
    books.requireSameBooks(funding);
    Challenge challenge =
        routes
            .lastPaid(context, key)
            .orElseGet(() -> server.freshChallenge(known.get(), context.url()));
    SessionRequest request = SessionRequest.parse(challenge, config);
    ReentrantLock lock = channels.lock(key);
    while (true) {
      Channels.Reservation reservation = null;
      ChannelState resend = null;
      Runnable unlocked = null; // a top-up to run or wait for, then look again
      BigInteger increment;
      lock.lock();
      try {
        ChannelState channel = usable(need);
        increment = need.requiredCumulative().subtract(channel.highestSigned());
        if (increment.signum() <= 0) {
          // At least that much is signed already (a voucher still in flight, or lost): sending
          // the highest again authorizes no new money.
          resend = channel;
        } else {
          funding.check(context, challenge, new Money(increment, ChannelLedger.asset(key)));
          TopUp.Need deposit =
              new TopUp.Need(channel, increment, request, challenge, context, funding);
          if (deposit.exists()) {
            unlocked = topUp.claim(deposit, deadline);
          } else {
            reservation = channels.reserve(channel, increment, context.url().toString());
          }
        }
      } finally {
        lock.unlock();
      }
      if (resend != null) {
        resend(resend, challenge, context);
        return true;
      }
      if (unlocked != null) {
        unlocked.run();
        continue;
      }
      if (reservation == null) {
        continue; // another process signed meanwhile; look again
      }
      deliver(vouchers.issue(reservation, challenge, context, funding, false), context);
      return true;
    }
  }

  private ChannelState usable(NeedVoucher need) {
    return channels
        .store()
        .find(need.channelId())
        // Still OPENING when the HTTP client streams the body before the flow has seen the
        // response (java.net.http with a whole-body handler): the server serving the stream is the
        // proof that it took the open.
        .filter(
            state ->
                state.status() == ChannelStatus.OPEN || state.status() == ChannelStatus.OPENING)
        .orElseThrow(
            () ->
                new PaymentFailedException(
                    ErrorCode.RAIL_FAILED,
                    "tempo session: channel " + need.channelId() + " is no longer open"));
  }

  /** POSTs an in-stream voucher and settles its record by the answer. */
  private void deliver(SessionAuthorization authorization, PaymentContext context) {
    SessionTransport.Response response;
    try {
      response = server.post(context.url(), authorization.authorizationHeader());
    } catch (IOException e) {
      PaymentRecord record = authorization.markUnknown("stream voucher not confirmed: " + e);
      throw new PaymentOutcomeUnknownException(
          "tempo session: the stream's voucher "
              + authorization.cumulative()
              + " was sent; no answer",
          record,
          e);
    }
    if (response.status() / 100 == 2) {
      String note = null;
      Receipt receipt = null;
      try {
        receipt = SessionServer.receipt(response).orElse(null);
      } catch (ProtocolException e) {
        note = "invalid receipt: " + e.getMessage();
      }
      authorization.settle(response.status(), receipt, note);
      log.debug("stream voucher {} accepted", authorization.cumulative());
      return;
    }
    Problem problem = SessionServer.problemOf(response);
    authorization.reject(response.status(), problem);
    throw new PaymentFailedException(
        ErrorCode.PAYMENT_REJECTED,
        "tempo session: the server refused the stream's voucher "
            + authorization.cumulative()
            + " with HTTP "
            + response.status()
            + " "
            + SessionServer.describe(problem));
  }

  /** Sends the channel's highest signed voucher again (nothing new is authorized or recorded). */
  private void resend(ChannelState channel, Challenge challenge, PaymentContext context) {
    Voucher voucher = signer.voucher(channel, channel.highestSigned());
    ObjectNode payload = SessionPayloads.voucher(channel.descriptor(), voucher);
    SessionTransport.Response response;
    try {
      response = server.post(context.url(), signer.header(challenge, payload));
    } catch (IOException e) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED,
          "tempo session: could not re-send voucher " + channel.highestSigned() + ": " + e,
          e);
    }
    if (response.status() / 100 != 2) {
      throw new PaymentFailedException(
          ErrorCode.PAYMENT_REJECTED,
          "tempo session: the server refused voucher "
              + channel.highestSigned()
              + " with HTTP "
              + response.status()
              + " "
              + SessionServer.problemText(response));
    }
  }
}
