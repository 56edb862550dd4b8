package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.rail.tempo.TempoFees;
import dev.mpp.rail.tempo.TempoTransaction;
import dev.mpp.wallet.rail.Funding;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds to a channel's deposit before the next voucher would exceed it: holds the top-up under every
 * cap, sends the signed top-up transaction to the server, and records the new deposit.
 *
 * <p>One top-up per channel at a time in this process: a request that needs one {@link #claim}s it
 * under the channel's lock and then {@link #run}s it without the lock (it asks the node for fees,
 * POSTs to the server and may read the escrow); requests that find one running wait for it and look
 * at the channel again, while requests the current deposit still covers go on signing.
 */
final class TopUp {
  private static final Logger log = LoggerFactory.getLogger(TopUp.class);

  private final TempoSessionConfig config;
  private final Channels channels;
  private final ChannelLedger books;
  private final SessionSigner signer;
  private final SessionServer server;
  private final DepositSizing sizing;
  private final EscrowReader escrow;
  private final InFlight running = new InFlight("top-up");

  TopUp(
      TempoSessionConfig config,
      Channels channels,
      ChannelLedger books,
      SessionSigner signer,
      SessionServer server,
      DepositSizing sizing,
      EscrowReader escrow) {
    this.config = config;
    this.channels = channels;
    this.books = books;
    this.signer = signer;
    this.server = server;
    this.sizing = sizing;
    this.escrow = escrow;
  }

  /** Whether {@code channel} must be topped up before signing {@code price} more. */
  static boolean needed(ChannelState channel, BigInteger price) {
    return channel.highestSigned().add(price).compareTo(channel.deposit()) > 0;
  }

  /**
   * Claims the channel's top-up; call under the channel's lock.
   *
   * @return null when the caller now owns the top-up and must {@link #run} it, else the top-up
   *     already running, to wait for ({@link #await})
   */
  CompletableFuture<Void> claim(ChannelKey key) {
    CompletableFuture<Void> current = running.get(key);
    if (current == null) {
      running.start(key);
    }
    return current;
  }

  /** Waits for a running top-up (see {@link InFlight#await}). */
  void await(CompletableFuture<Void> future, long deadline, ChannelKey key) {
    running.await(future, deadline, key);
  }

  /**
   * Runs a claimed top-up of {@code channel} (as read under the lock) that lets it sign {@code
   * price} more, and ends the claim either way. Call it without the lock.
   *
   * @return the channel with its new deposit
   */
  ChannelState run(
      ChannelState channel,
      BigInteger price,
      SessionRequest request,
      Challenge challenge,
      PaymentContext context,
      Funding funding) {
    try {
      ChannelState topped = send(channel, price, request, challenge, context, funding);
      running.succeed(channel.key());
      return topped;
    } catch (RuntimeException e) {
      running.fail(channel.key(), e);
      throw e;
    }
  }

  private ChannelState send(
      ChannelState channel,
      BigInteger price,
      SessionRequest request,
      Challenge challenge,
      PaymentContext context,
      Funding funding) {
    BigInteger additional = sizing.topUp(request, funding, channel, price);
    if (!request.protocol().fits(channel.deposit().add(additional))) {
      throw new PaymentRefusedException(
          ErrorCode.UNSUPPORTED_REQUEST, "tempo session: the deposit would overflow");
    }
    TempoFees fees = signer.fees(config.topUpGas());
    PaymentRecord hold =
        books.hold(
            funding,
            context,
            challenge,
            request,
            additional,
            SessionSigner.feeUnits(request, fees),
            channel.channelId(),
            "session top-up (hold)");
    TempoTransaction signed;
    try {
      signed =
          signer.sign(
              ChannelTransactions.build(
                  config.chainId(),
                  ChannelTransactions.topUpCalls(channel, request.escrow(), additional),
                  fees,
                  signer.validBefore(challenge),
                  signer.feeToken(request)));
    } catch (RuntimeException e) {
      books.release(hold, "signing failed");
      throw e;
    }
    ObjectNode payload =
        SessionPayloads.topUp(
            channel.descriptor(), channel.channelId(), signed.encodeSigned(), additional);
    SessionTransport.Response response;
    try {
      response = server.post(context.url(), signer.header(challenge, payload));
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
