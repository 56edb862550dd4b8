package dev.mpp.rail.tempo.session;

import java.util.Objects;

/** Checks shared by the channel stores. */
final class Stores {
  private Stores() {}

  static void requireSuccessor(ChannelState expected, ChannelState next) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(next, "next");
    if (!expected.channelId().equals(next.channelId())) {
      throw new IllegalArgumentException("next state is of another channel");
    }
    if (next.version() != expected.version() + 1) {
      throw new IllegalArgumentException("next state must have version expected + 1");
    }
  }
}
