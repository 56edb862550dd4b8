package dev.mpp.rail.tempo.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The channel store contract in a SQLite file, and what survives reopening it. */
class SqliteChannelStoreTest extends ChannelStoreContractTest {
  @TempDir Path dir;

  @Override
  ChannelStore newStore() {
    return JdbcChannelStore.sqlite(dir.resolve("channels.db"));
  }

  @Test
  void aReopenedFileHasTheSameChannels() {
    ChannelState state = channel(key("bot"), 1);
    store.insert(state);
    store.close();

    try (JdbcChannelStore again = JdbcChannelStore.sqlite(dir.resolve("channels.db"))) {
      assertThat(again.find(state.channelId())).contains(state);
      assertThat(again.active(key("bot"))).contains(state);
    }
  }

  @Test
  void twoStoresOnOneFileShareTheCompareAndSet() {
    ChannelState state = channel(key("bot"), 1);
    store.insert(state);
    try (JdbcChannelStore other = JdbcChannelStore.sqlite(dir.resolve("channels.db"))) {
      ChannelState mine = state.next(T0).highestSigned(java.math.BigInteger.valueOf(2_000)).build();
      ChannelState theirs =
          state.next(T0).highestSigned(java.math.BigInteger.valueOf(3_000)).build();

      assertThat(other.update(state, theirs)).isTrue();
      assertThat(store.update(state, mine)).isFalse();
      assertThat(store.find(state.channelId())).contains(theirs);
    }
  }
}
