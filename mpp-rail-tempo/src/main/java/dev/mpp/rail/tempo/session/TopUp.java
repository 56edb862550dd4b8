package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.rail.tempo.TempoCall;
import dev.mpp.rail.tempo.TempoFees;
import dev.mpp.rail.tempo.TempoTransaction;
import dev.mpp.wallet.rail.Funding;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds to a channel's deposit before the next voucher would exceed it: holds the top-up under every
 * cap, sends the signed top-up transaction to the server, and records the new deposit.
 *
 * <p>One top-up per channel at a time in this process: a request that needs one {@link #claim}s it
 * under the channel's lock and runs it after releasing the lock (it asks the node for fees, POSTs
 * to the server and may read the escrow); requests that find one running wait for it and look at
 * the channel again, while requests the current deposit still covers go on signing.
 */
final class TopUp {
  private static final Logger log = LoggerFactory.getLogger(TopUp.class);

  private final SessionSigner signer;
  private final SessionServer server;
  private final Channels channels;
  private final ChannelLedger books;
  private final DepositSizing sizing;
  private final EscrowReader escrow;
  private final InFlight running = new InFlight("top-up");

  TopUp(
      SessionSigner signer,
      SessionServer server,
      Channels channels,
      ChannelLedger books,
      DepositSizing sizing,
      EscrowReader escrow) {
    this.signer = signer;
    this.server = server;
    this.channels = channels;
    this.books = books;
    this.sizing = sizing;
    this.escrow = escrow;
  }

  /**
   * A request's need for more deposit.
   *
   * @param channel the channel as read under its lock
   * @param price what the request needs to sign beyond the channel's highest signed amount
   * @param request the challenge's request (escrow, token, fee payer)
   * @param challenge the challenge the top-up credential is bound to
   * @param context the request, whose URL the top-up is POSTed to
   * @param funding the agent's caps the top-up is held under
   */
  record Need(
      ChannelState channel,
      BigInteger price,
      SessionRequest request,
      Challenge challenge,
      PaymentContext context,
      Funding funding) {

    /** Whether the channel's deposit does not cover {@code price} more. */
    boolean exists() {
      return channel.highestSigned().add(price).compareTo(channel.deposit()) > 0;
    }
  }

  /**
   * Decides, under the channel's lock, what {@code need}'s request does about it once the lock is
   * released: run the channel's top-up (claimed now), or wait for the one already running. Either
   * way the request looks at the channel again afterwards.
   *
   * @param deadline when to stop waiting ({@link System#nanoTime()})
   */
  Runnable claim(Need need, long deadline) {
    ChannelKey key = need.channel().key();
    CompletableFuture<Void> current = running.get(key);
    if (current != null) {
      return () -> running.await(current, deadline, key);
    }
    running.start(key);
    return () -> run(need);
  }

  private void run(Need need) {
    try {
      send(need);
      running.succeed(need.channel().key());
    } catch (RuntimeException e) {
      running.fail(need.channel().key(), e);
      throw e;
    }
  }

  private ChannelState send(Need need) {
    ChannelState channel = need.channel();
    SessionRequest request = need.request();
    BigInteger additional = sizing.topUp(request, need.funding(), channel, need.price());
    if (!request.protocol().fits(channel.deposit().add(additional))) {
      throw new PaymentRefusedException(
          ErrorCode.UNSUPPORTED_REQUEST, "tempo session: the deposit would overflow");
    }
    TempoFees fees = signer.topUpFees();
    PaymentRecord hold =
        books.hold(
            need.funding(),
            need.context(),
            need.challenge(),
            request,
            additional,
            SessionSigner.feeUnits(request, fees),
            channel.channelId(),
            "session top-up (hold)");
    TempoTransaction signed;
    try {
      List<TempoCall> calls = ChannelTransactions.topUpCalls(channel, request.escrow(), additional);
      signed = signer.sign(signer.transaction(request, need.challenge(), calls, fees));
    } catch (RuntimeException e) {
      books.release(hold, "signing failed");
      throw e;
    }
    ObjectNode payload =
        SessionPayloads.topUp(
            channel.descriptor(), channel.channelId(), signed.encodeSigned(), additional);
    SessionTransport.Response response;
    try {
      response = server.post(need.context().url(), signer.header(need.challenge(), payload));
    } catch (IOException e) {
      return afterUncertain(channel, hold, additional, "transport failed: " + e);
    }
    if (response.status() / 100 != 2) {
      String problem = SessionServer.problemText(response);
      if (response.status() == 402 || response.status() == 400 || response.status() == 410) {
        EscrowChannel onChain = escrow.read(channel).orElse(null);
        if (onChain == null || onChain.deposit().compareTo(channel.deposit()) <= 0) {
          books.release(hold, "top-up rejected: HTTP " + response.status() + " " + problem);
          throw new PaymentFailedException(
              ErrorCode.PAYMENT_REJECTED,
              "tempo session: top-up of channel "
                  + channel.channelId()
                  + " rejected with HTTP "
                  + response.status()
                  + " "
                  + problem);
        }
      }
      return afterUncertain(channel, hold, additional, "HTTP " + response.status());
    }
    log.debug("topped up channel {} by {}", channel.channelId(), additional);
    return record(channel, hold, additional);
  }

  private ChannelState afterUncertain(
      ChannelState channel, PaymentRecord hold, BigInteger additional, String why) {
    Optional<EscrowChannel> onChain = escrow.read(channel);
    if (onChain.isPresent()
        && onChain.get().deposit().compareTo(channel.deposit().add(additional)) >= 0) {
      return record(channel, hold, additional);
    }
    // Broadcast may still happen: keep the hold counted until the channel closes.
    channels.update(
        channel.channelId(), state -> state.next(channels.now()).addHold(hold.id()).build());
    throw new PaymentFailedException(
        ErrorCode.RAIL_FAILED,
        "tempo session: top-up of channel " + channel.channelId() + " not confirmed (" + why + ")");
  }

  private ChannelState record(ChannelState channel, PaymentRecord hold, BigInteger amount) {
    return channels.update(
        channel.channelId(),
        state ->
            state
                .next(channels.now())
                .deposit(state.deposit().add(amount))
                .addHold(hold.id())
                .build());
  }
}
