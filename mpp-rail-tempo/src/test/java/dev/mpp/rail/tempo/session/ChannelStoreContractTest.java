package dev.mpp.rail.tempo.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChannelStore} must do: keep every field, keep one active channel per key, and
 * make each change a compare-and-set so concurrent writers never lose or repeat an amount.
 */
abstract class ChannelStoreContractTest {

  static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123Z");
  static final EvmAddress PAYER = EvmAddress.parse("0x" + "11".repeat(20));
  static final EvmAddress PAYEE = EvmAddress.parse("0x" + "22".repeat(20));
  static final EvmAddress TOKEN = EvmAddress.parse("0x20c0000000000000000000000000000000000000");
  static final EvmAddress ESCROW = EvmAddress.parse("0x" + "44".repeat(20));

  ChannelStore store;

  abstract ChannelStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  static ChannelKey key(String agent) {
    return new ChannelKey(
        agent,
        "https://api.example.test:443",
        "api",
        4217,
        ESCROW,
        PAYEE,
        TOKEN,
        SessionProtocol.V1);
  }

  static ChannelState channel(ChannelKey key, int salt) {
    byte[] bytes = new byte[32];
    bytes[31] = (byte) salt;
    ChannelDescriptor descriptor =
        ChannelDescriptor.v1(PAYER, PAYEE, TOKEN, Bytes32.of(bytes), PAYER);
    return new ChannelState(
        key,
        descriptor.channelId(ESCROW, key.chainId()),
        descriptor,
        BigInteger.valueOf(1_000_000),
        BigInteger.valueOf(1_000),
        BigInteger.ZERO,
        BigInteger.ZERO,
        List.of("hold-" + salt),
        ChannelStatus.OPENING,
        "https://api.example.test/x",
        null,
        null,
        null,
        T0,
        T0,
        0);
  }

  @Test
  void storesEveryFieldAndFindsTheActiveChannelOfAKey() {
    ChannelState state = channel(key("bot"), 1);
    ChannelState v2 =
        new ChannelState(
            new ChannelKey(
                "bot",
                "https://a.test:443",
                "r",
                4217,
                SessionProtocol.TIP1034_ESCROW,
                PAYEE,
                TOKEN,
                SessionProtocol.V2),
            ChannelDescriptor.v2(PAYER, PAYEE, ESCROW, TOKEN, Bytes32.ZERO, PAYER, Bytes32.ZERO)
                .channelId(SessionProtocol.TIP1034_ESCROW, 4217),
            ChannelDescriptor.v2(PAYER, PAYEE, ESCROW, TOKEN, Bytes32.ZERO, PAYER, Bytes32.ZERO),
            BigInteger.TWO.pow(95),
            BigInteger.ONE,
            BigInteger.ONE,
            BigInteger.ZERO,
            List.of("a", "b"),
            ChannelStatus.OPEN,
            null,
            "0x" + "ab".repeat(32),
            null,
            null,
            T0.plusSeconds(1),
            T0.plusSeconds(2),
            7);

    assertThat(store.insert(state)).isTrue();
    assertThat(store.insert(v2)).isTrue();

    assertThat(store.active(key("bot"))).contains(state);
    assertThat(store.find(state.channelId())).contains(state);
    assertThat(store.find(v2.channelId())).contains(v2);
    assertThat(store.active(key("other"))).isEmpty();
    assertThat(store.list("bot")).containsExactly(state, v2);
    assertThat(store.list(null)).hasSize(2);
    assertThat(store.list("nobody")).isEmpty();
  }

  @Test
  void keepsOneActiveChannelPerKey() {
    ChannelState first = channel(key("bot"), 1);
    assertThat(store.insert(first)).isTrue();

    assertThat(store.insert(channel(key("bot"), 2))).isFalse();
    assertThatThrownBy(() -> store.insert(first)).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.insert(channel(key("bot-2"), 3))).isTrue();

    ChannelState closed = first.next(T0.plusSeconds(1)).status(ChannelStatus.CLOSED).build();
    assertThat(store.update(first, closed)).isTrue();
    assertThat(store.active(key("bot"))).isEmpty();
    assertThat(store.insert(channel(key("bot"), 2))).isTrue();
    assertThat(store.list("bot")).hasSize(2);
  }

  @Test
  void updateIsACompareAndSet() {
    ChannelState state = channel(key("bot"), 1);
    store.insert(state);
    ChannelState next =
        state
            .next(T0.plusSeconds(1))
            .highestSigned(BigInteger.valueOf(2_000))
            .accepted(BigInteger.valueOf(1_000))
            .status(ChannelStatus.OPEN)
            .addHold("hold-x")
            .settled(BigInteger.TEN)
            .closeTxHash("0x" + "cd".repeat(32))
            .build();

    assertThat(store.update(state, next)).isTrue();
    assertThat(store.update(state, next)).as("stale version").isFalse();
    assertThat(store.find(state.channelId())).contains(next);
    assertThatThrownBy(() -> store.update(next, next)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentIncrementsNeverRepeatOrLoseAnAmount() throws Exception {
    ChannelState state = channel(key("bot"), 1);
    store.insert(state);
    int threads = 8;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<BigInteger>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  List<BigInteger> mine = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    while (true) {
                      ChannelState current = store.find(state.channelId()).orElseThrow();
                      BigInteger amount = current.highestSigned().add(BigInteger.valueOf(1_000));
                      if (store.update(current, current.next(T0).highestSigned(amount).build())) {
                        mine.add(amount);
                        break;
                      }
                    }
                  }
                  return mine;
                }));
      }
      Set<BigInteger> all = new TreeSet<>();
      int count = 0;
      for (Future<List<BigInteger>> future : futures) {
        for (BigInteger amount : future.get()) {
          all.add(amount);
          count++;
        }
      }
      assertThat(count).isEqualTo(threads * perThread);
      assertThat(all).hasSize(threads * perThread);
      assertThat(store.find(state.channelId()).orElseThrow().highestSigned())
          .isEqualTo(BigInteger.valueOf(1_000L * (threads * perThread + 1)));
    } finally {
      pool.shutdownNow();
    }
  }
}
