package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.ProtocolException;
import dev.mpp.client.wire.Challenge;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends channels: closes them cooperatively with the server, or forgets those the server no longer
 * knows; either way settles the books against what the payee received.
 */
final class ChannelCloser {
  private static final Logger log = LoggerFactory.getLogger(ChannelCloser.class);

  private final Channels channels;
  private final ChannelLedger books;
  private final SessionSigner signer;
  private final SessionServer server;
  private final EscrowReader escrow;
  private final InFlight opening;
  private final InFlight closing;

  ChannelCloser(
      Channels channels,
      ChannelLedger books,
      SessionSigner signer,
      SessionServer server,
      EscrowReader escrow,
      InFlight opening,
      InFlight closing) {
    this.channels = channels;
    this.books = books;
    this.signer = signer;
    this.server = server;
    this.escrow = escrow;
    this.opening = opening;
    this.closing = closing;
  }

  /**
   * Closes a channel: marks it CLOSING under its lock (so this process's requests wait and other
   * processes' requests stay off it), then, without the lock, signs a final voucher for what the
   * server accepted, posts it to the channel's last URL with a fresh challenge and settles the
   * ledger. A failure puts the channel back as it was.
   */
  CloseResult close(Bytes32 channelId) {
    Objects.requireNonNull(channelId, "channelId");
    ChannelState channel = active(channelId);
    if (channel.url() == null) {
      throw new IllegalArgumentException("channel " + channelId + " has no URL to close at");
    }
    ChannelKey key = channel.key();
    ChannelStatus before;
    ReentrantLock lock = channels.lock(key);
    lock.lock();
    try {
      before = active(channelId).status();
      if (closing.get(key) != null) {
        throw new IllegalArgumentException("channel " + channelId + " is being closed");
      }
      channel =
          channels.update(
              channelId, state -> state.next(channels.now()).status(ChannelStatus.CLOSING).build());
      closing.start(key);
    } finally {
      lock.unlock();
    }
    try {
      CloseResult result = closeNow(channel);
      closing.succeed(key);
      return result;
    } catch (RuntimeException e) {
      try {
        channels.update(channelId, state -> state.next(channels.now()).status(before).build());
      } finally {
        closing.fail(key, e);
      }
      throw e;
    }
  }

  /** Closes every active channel of {@code agent} (every agent when null); reports each. */
  List<CloseResult> closeAll(String agent) {
    List<CloseResult> results = new ArrayList<>();
    for (ChannelState channel : channels.store().list(agent)) {
      if (channel.status().active() && channel.url() != null) {
        try {
          results.add(close(channel.channelId()));
        } catch (RuntimeException e) {
          log.warn("could not close channel {}: {}", channel.channelId(), e.getMessage());
        }
      }
    }
    return results;
  }

  private ChannelState active(Bytes32 channelId) {
    ChannelState channel =
        channels
            .store()
            .find(channelId)
            .orElseThrow(() -> new IllegalArgumentException("no channel " + channelId));
    if (!channel.status().active()) {
      throw new IllegalArgumentException("channel " + channelId + " is " + channel.status());
    }
    return channel;
  }

  private CloseResult closeNow(ChannelState channel) {
    URI url = URI.create(channel.url());
    Challenge challenge = server.freshChallenge(channel, url);
    BigInteger amount = channel.accepted().max(channel.spent());
    Voucher voucher = signer.voucher(channel, amount);
    ObjectNode payload = SessionPayloads.close(channel.descriptor(), voucher);
    SessionTransport.Response response;
    try {
      response = server.post(url, signer.header(challenge, payload));
    } catch (IOException e) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "tempo session: close request failed: " + e.getMessage(), e);
    }
    if (response.status() == 410) {
      forget(channel.channelId(), "closed by the server");
      ChannelState gone = channels.store().find(channel.channelId()).orElseThrow();
      BigInteger settled = Objects.requireNonNullElse(gone.settled(), BigInteger.ZERO);
      return new CloseResult(
          channel.channelId(), settled, channel.deposit().subtract(settled), null);
    }
    if (response.status() / 100 != 2) {
      throw new PaymentFailedException(
          ErrorCode.PAYMENT_REJECTED,
          "tempo session: close of channel "
              + channel.channelId()
              + " rejected with HTTP "
              + response.status()
              + " "
              + SessionServer.problemText(response));
    }
    Optional<SessionReceipt> receipt;
    try {
      receipt = SessionServer.receipt(response).flatMap(SessionReceipt::of);
    } catch (ProtocolException e) {
      receipt = Optional.empty();
    }
    BigInteger settled = amount;
    String txHash = receipt.map(SessionReceipt::txHash).orElse(null);
    Optional<EscrowChannel> onChain = escrow.read(channel);
    if (onChain.isPresent() && onChain.get().finalized()) {
      settled = onChain.get().settled();
    } else if (onChain.isPresent()) {
      log.warn(
          "channel {}: the server answered the close but the escrow is not finalized",
          channel.channelId());
    }
    BigInteger finalSettled = settled;
    ChannelState closed =
        channels.update(
            channel.channelId(),
            state ->
                state
                    .next(channels.now())
                    .status(ChannelStatus.CLOSED)
                    .settled(finalSettled)
                    .closeTxHash(txHash)
                    .build());
    books.reconcile(closed, finalSettled, channels.now());
    log.info(
        "closed channel {}: payee received {}, {} refunded (tx {})",
        channel.channelId(),
        finalSettled,
        channel.deposit().subtract(finalSettled),
        txHash);
    return new CloseResult(
        channel.channelId(), finalSettled, channel.deposit().subtract(finalSettled), txHash);
  }

  /**
   * Stops using a channel the server no longer knows (or that is finalized), and settles its books
   * with what the escrow says the payee received. Reads the chain: never call it under a lock.
   */
  void forget(Bytes32 channelId, String why) {
    ChannelState channel = channels.store().find(channelId).orElse(null);
    if (channel == null || !channel.status().active()) {
      return;
    }
    Optional<EscrowChannel> onChain = escrow.read(channel);
    BigInteger settled;
    boolean refunded;
    if (onChain.isEmpty()) {
      settled = null; // cannot tell: keep everything counted
      refunded = false;
    } else if (!onChain.get().exists()) {
      settled = BigInteger.ZERO;
      refunded = true;
    } else if (onChain.get().finalized()) {
      settled = onChain.get().settled();
      refunded = true;
    } else {
      settled = null; // still funded on chain: the deposit stays locked until a forced close
      refunded = false;
      log.warn(
          "channel {} is funded on chain but the server does not know it ({}); recover the"
              + " deposit with requestClose and withdraw",
          channelId,
          why);
    }
    ChannelState closed =
        channels.update(
            channelId,
            state ->
                state.next(channels.now()).status(ChannelStatus.CLOSED).settled(settled).build());
    if (refunded) {
      books.reconcile(closed, settled, channels.now());
    }
    opening.fail(
        channel.key(), new PaymentFailedException(ErrorCode.RAIL_FAILED, "tempo session: " + why));
    log.info("forgot channel {}: {}", channelId, why);
  }
}
