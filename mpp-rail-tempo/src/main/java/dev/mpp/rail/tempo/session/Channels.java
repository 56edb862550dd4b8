package dev.mpp.rail.tempo.session;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentFailedException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rail's view of its {@link ChannelStore}: compare-and-set updates that retry on concurrent
 * changes (also from other processes), the reservation of a voucher's amount, and one lock per
 * channel key that serializes this process's decisions about a channel. The lock guards decisions
 * and store updates only: no network I/O happens while it is held.
 */
final class Channels {
  private static final Logger log = LoggerFactory.getLogger(Channels.class);
  private static final int ATTEMPTS = 100;

  private final ChannelStore store;
  private final Clock clock;
  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  Channels(ChannelStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The store. */
  ChannelStore store() {
    return store;
  }

  /** Now, to the millisecond (what the stores keep). */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** The lock of {@code key}'s channel. */
  ReentrantLock lock(ChannelKey key) {
    return locks.computeIfAbsent(key.id(), k -> new ReentrantLock());
  }

  /**
   * Applies {@code change} to the stored channel until the compare-and-set succeeds.
   *
   * @return the channel as stored
   */
  ChannelState update(Bytes32 channelId, UnaryOperator<ChannelState> change) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      ChannelState current =
          store
              .find(channelId)
              .orElseThrow(() -> new IllegalStateException("no channel " + channelId));
      ChannelState next = change.apply(current);
      if (store.update(current, next)) {
        return next;
      }
    }
    throw new PaymentFailedException(
        ErrorCode.LEDGER_FAILURE, "tempo session: channel " + channelId + " keeps changing");
  }

  /**
   * The reserved next amount of a channel.
   *
   * @param channel the channel as stored with the new highest signed amount
   * @param cumulative the voucher amount
   * @param price the increment over the previous highest signed amount
   */
  record Reservation(ChannelState channel, BigInteger cumulative, BigInteger price) {}

  /**
   * Persists the next amount, the channel's highest signed plus {@code price}, before anything is
   * signed for it, so concurrent requests (also from other processes) get distinct, increasing
   * amounts.
   *
   * @return the reservation, or null when the deposit does not cover it (a top-up is needed)
   */
  Reservation reserve(ChannelState channel, BigInteger price, String url) {
    ChannelState current = channel;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      BigInteger next = current.highestSigned().add(price);
      if (next.compareTo(current.deposit()) > 0) {
        return null;
      }
      ChannelState updated = current.next(now()).highestSigned(next).url(url).build();
      if (store.update(current, updated)) {
        return new Reservation(updated, next, price);
      }
      current =
          store
              .find(channel.channelId())
              .filter(state -> state.status() == ChannelStatus.OPEN)
              .orElseThrow(
                  () ->
                      new PaymentFailedException(
                          ErrorCode.RAIL_FAILED,
                          "tempo session: channel " + channel.channelId() + " closed meanwhile"));
    }
    throw new PaymentFailedException(
        ErrorCode.RAIL_FAILED, "tempo session: channel state keeps changing; retry");
  }

  /** Gives a reserved amount back if nothing was signed and nobody reserved after it. */
  void unreserve(Reservation reservation) {
    try {
      ChannelState stored = store.find(reservation.channel().channelId()).orElse(null);
      if (stored != null && stored.highestSigned().equals(reservation.cumulative())) {
        store.update(
            stored,
            stored
                .next(now())
                .highestSigned(reservation.cumulative().subtract(reservation.price()))
                .build());
      }
    } catch (RuntimeException e) {
      log.warn("could not give back an unsigned voucher amount: {}", e.toString());
    }
  }
}
