package dev.mpp.rail.tempo.session;

/** The channel store contract in memory. */
class InMemoryChannelStoreTest extends ChannelStoreContractTest {
  @Override
  ChannelStore newStore() {
    return new InMemoryChannelStore();
  }
}
