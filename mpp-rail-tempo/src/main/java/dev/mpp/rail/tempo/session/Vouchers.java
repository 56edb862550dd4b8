package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.wire.Challenge;
import dev.mpp.wallet.rail.Funding;

/**
 * Turns a reserved amount into a signed voucher credential: captures the increment from the
 * channel's holds, then signs. The amount was persisted before (by {@link Channels#reserve}), so a
 * crash after signing never hands out the same amount twice; a failure before the signature left
 * the process gives the amount and the capture back.
 */
final class Vouchers {

  private final Channels channels;
  private final ChannelLedger books;
  private final SessionSigner signer;
  private final VoucherOutcomes outcomes;

  Vouchers(Channels channels, ChannelLedger books, SessionSigner signer, VoucherOutcomes outcomes) {
    this.channels = channels;
    this.books = books;
    this.signer = signer;
    this.outcomes = outcomes;
  }

  /** The voucher credential for {@code reservation}, bound to {@code challenge}. */
  SessionAuthorization issue(
      Channels.Reservation reservation,
      Challenge challenge,
      PaymentContext context,
      Funding funding,
      boolean upfrontAttempt) {
    ChannelState channel = reservation.channel();
    PaymentRecord capture;
    try {
      capture =
          books.capture(
              funding,
              context,
              challenge,
              channel,
              reservation.price(),
              "voucher up to " + reservation.cumulative());
    } catch (RuntimeException e) {
      channels.unreserve(reservation);
      throw ChannelLedger.failure(e);
    }
    Voucher voucher;
    try {
      voucher = signer.voucher(channel, reservation.cumulative());
    } catch (RuntimeException e) {
      books.release(capture, "signing failed");
      channels.unreserve(reservation);
      throw e;
    }
    ObjectNode payload = SessionPayloads.voucher(channel.descriptor(), voucher);
    return new SessionAuthorization(
        outcomes,
        challenge,
        signer.header(challenge, payload),
        payload,
        capture,
        channel.key(),
        channel.channelId(),
        reservation.cumulative(),
        false,
        upfrontAttempt,
        context);
  }
}
