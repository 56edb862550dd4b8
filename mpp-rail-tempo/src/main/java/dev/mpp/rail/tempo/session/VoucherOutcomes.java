package dev.mpp.rail.tempo.session;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Problem;
import dev.mpp.client.wire.Receipt;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server's answer to a session credential (an open or a voucher) does to the channel, the
 * ledger record, a waiting open and the route's up-front state. Reported by {@link
 * SessionAuthorization}.
 */
final class VoucherOutcomes {
  private static final Logger log = LoggerFactory.getLogger(VoucherOutcomes.class);

  private final Channels channels;
  private final ChannelLedger books;
  private final InFlight opening;
  private final UpFrontRoutes upfront;
  private final ChannelCloser closer;
  private final Map<PaymentContext, SessionAuthorization> refusedByRequest =
      Collections.synchronizedMap(new WeakHashMap<>());

  VoucherOutcomes(
      Channels channels,
      ChannelLedger books,
      InFlight opening,
      UpFrontRoutes upfront,
      ChannelCloser closer) {
    this.channels = channels;
    this.books = books;
    this.opening = opening;
    this.upfront = upfront;
    this.closer = closer;
  }

  /**
   * The credential the server refused for the same request, which its next attempt re-sends (its
   * amount stays counted, so signing a new one would count it twice); removed when taken.
   */
  Optional<SessionAuthorization> takeRefused(PaymentContext context) {
    return Optional.ofNullable(refusedByRequest.remove(context));
  }

  /** The server accepted a voucher (or the open). */
  PaymentRecord accepted(
      SessionAuthorization authorization, int httpStatus, Receipt receipt, String note) {
    Optional<SessionReceipt> session = SessionReceipt.of(receipt);
    Bytes32 channelId = authorization.channelId();
    StringBuilder detail =
        new StringBuilder("voucher ")
            .append(authorization.cumulative())
            .append(" accepted with HTTP ")
            .append(httpStatus);
    if (note != null) {
      detail.append("; ").append(note);
    }
    if (session.isPresent() && !session.get().channelId().equals(channelId)) {
      detail.append("; receipt names channel ").append(session.get().channelId());
      session = Optional.empty();
    }
    Optional<SessionReceipt> fields = session;
    try {
      channels.update(
          channelId,
          state -> {
            ChannelState.Builder next = state.next(channels.now());
            if (state.status() == ChannelStatus.OPENING) {
              next.status(ChannelStatus.OPEN);
            }
            if (fields.isPresent()) {
              // Receipts can arrive out of order (a stream's in-stream vouchers settle before
              // the stream's own response when the client buffers the body): never go back.
              next.accepted(
                      fields
                          .get()
                          .acceptedCumulative()
                          .min(state.highestSigned())
                          .max(state.accepted()))
                  .spent(fields.get().spent().min(state.highestSigned()).max(state.spent()));
              if (authorization.isOpen() && fields.get().txHash() != null) {
                next.openTxHash(fields.get().txHash());
              }
            } else {
              next.accepted(authorization.cumulative().max(state.accepted()));
            }
            return next.build();
          });
    } catch (RuntimeException e) {
      log.warn("channel {}: could not record the acceptance: {}", channelId, e.toString());
    }
    if (authorization.isOpen()) {
      opening.succeed(authorization.key());
    }
    upfront.remember(authorization, true);
    fields.ifPresent(f -> detail.append("; accepted cumulative ").append(f.acceptedCumulative()));
    return books.transition(
        authorization.record(),
        PaymentState.PAID,
        channelId.toHex(),
        receipt == null ? null : receipt.raw(),
        detail.toString());
  }

  /**
   * The server refused the credential. The voucher stays counted (the server holds the signature);
   * a channel that is gone is forgotten and reconciled; the same request's next attempt re-sends
   * the same voucher.
   */
  PaymentRecord refused(SessionAuthorization authorization, int httpStatus, Problem problem) {
    String type = problem == null ? "(no problem details)" : problem.type().uri();
    if (httpStatus == 410 || (problem != null && problem.type().channelGone())) {
      closer.forget(authorization.channelId(), "server answered " + httpStatus + " " + type);
      return books.current(authorization.record());
    }
    failOpening(authorization, "rejected: HTTP " + httpStatus + " " + type);
    if (authorization.isUpfront()) {
      upfront.remember(authorization, false);
    }
    refusedByRequest.put(authorization.context(), authorization);
    return counted(
        authorization,
        " refused with HTTP "
            + httpStatus
            + " "
            + type
            + "; counted until the channel closes (the server holds the signature)");
  }

  /** The outcome is unknown (transport failure, 5xx). */
  PaymentRecord unknown(SessionAuthorization authorization, String reason) {
    failOpening(authorization, reason);
    return counted(authorization, ": " + reason + "; counted until the channel closes");
  }

  /** Keeps the voucher's increment counted (UNKNOWN) with {@code why} after its amount. */
  private PaymentRecord counted(SessionAuthorization authorization, String why) {
    return books.transition(
        authorization.record(),
        PaymentState.UNKNOWN,
        null,
        null,
        "voucher " + authorization.cumulative() + why);
  }

  private void failOpening(SessionAuthorization authorization, String why) {
    if (authorization.isOpen()) {
      opening.fail(
          authorization.key(),
          new PaymentFailedException(ErrorCode.RAIL_FAILED, "tempo session: open " + why));
    }
  }
}
