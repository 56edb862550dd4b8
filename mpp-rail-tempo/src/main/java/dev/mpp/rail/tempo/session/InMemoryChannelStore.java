package dev.mpp.rail.tempo.session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A {@link ChannelStore} in memory: for tests and processes whose channels may die with them. */
public final class InMemoryChannelStore implements ChannelStore {
  private final Map<Bytes32, ChannelState> channels = new LinkedHashMap<>();

  /** Creates an empty store. */
  public InMemoryChannelStore() {}

  @Override
  public synchronized Optional<ChannelState> active(ChannelKey key) {
    Objects.requireNonNull(key, "key");
    return channels.values().stream()
        .filter(state -> state.status().active() && state.key().equals(key))
        .findFirst();
  }

  @Override
  public synchronized Optional<ChannelState> find(Bytes32 channelId) {
    return Optional.ofNullable(channels.get(Objects.requireNonNull(channelId, "channelId")));
  }

  @Override
  public synchronized List<ChannelState> list(String agent) {
    List<ChannelState> out = new ArrayList<>();
    for (ChannelState state : channels.values()) {
      if (agent == null || agent.equals(state.key().agent())) {
        out.add(state);
      }
    }
    out.sort(Comparator.comparing(ChannelState::createdAt));
    return out;
  }

  @Override
  public synchronized boolean insert(ChannelState state) {
    Objects.requireNonNull(state, "state");
    if (channels.containsKey(state.channelId())) {
      throw new IllegalArgumentException("channel " + state.channelId() + " exists");
    }
    if (state.status().active() && active(state.key()).isPresent()) {
      return false;
    }
    channels.put(state.channelId(), state);
    return true;
  }

  @Override
  public synchronized boolean update(ChannelState expected, ChannelState next) {
    Stores.requireSuccessor(expected, next);
    ChannelState current = channels.get(expected.channelId());
    if (current == null || current.version() != expected.version()) {
      return false;
    }
    channels.put(next.channelId(), next);
    return true;
  }

  @Override
  public synchronized void close() {}

  @Override
  public synchronized String toString() {
    return "InMemoryChannelStore[channels=" + channels.size() + "]";
  }
}
