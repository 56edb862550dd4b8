package dev.mpp.rail.tempo.session;

import java.util.List;
import java.util.Optional;

/**
 * Where channel state lives between requests and across restarts: in memory ({@link
 * InMemoryChannelStore}), in a SQLite file or PostgreSQL ({@link JdbcChannelStore}). The rail
 * writes a channel's new highest signed amount here <em>before</em> the voucher leaves the process,
 * so a crash can never lead to signing the same cumulative amount twice or forgetting one that was
 * sent.
 *
 * <p>Implementations are thread-safe and, for shared stores, safe across processes: {@link #insert}
 * keeps at most one active channel per key, and {@link #update} is a compare-and-set on the state's
 * version.
 */
public interface ChannelStore extends AutoCloseable {

  /** The active (not {@link ChannelStatus#CLOSED}) channel for {@code key}, if any. */
  Optional<ChannelState> active(ChannelKey key);

  /** The channel with {@code channelId}, in any state. */
  Optional<ChannelState> find(Bytes32 channelId);

  /** Every channel of {@code agent} (every agent when null), oldest first. */
  List<ChannelState> list(String agent);

  /**
   * Stores a new channel.
   *
   * @return false (storing nothing) when the key already has an active channel
   * @throws IllegalArgumentException when a channel with the same id exists
   */
  boolean insert(ChannelState state);

  /**
   * Replaces {@code expected} with {@code next} if the stored state still has {@code expected}'s
   * version.
   *
   * @param next must have the same channel id and version {@code expected.version() + 1}
   * @return whether it was replaced (false: someone else changed the channel; reload and retry)
   */
  boolean update(ChannelState expected, ChannelState next);

  /** Releases connections and file handles. */
  @Override
  void close();
}
