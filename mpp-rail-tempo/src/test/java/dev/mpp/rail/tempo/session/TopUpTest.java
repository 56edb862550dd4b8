package dev.mpp.rail.tempo.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A top-up talks to the server without holding the channel's lock: while one request's top-up is on
 * its way, a request the current deposit still covers signs its voucher.
 */
class TopUpTest {

  final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  final InMemoryChannelStore channels = new InMemoryChannelStore();
  final CountDownLatch topUpSent = new CountDownLatch(1);
  final CountDownLatch serverAnswers = new CountDownLatch(1);
  final List<String> actions = new ArrayList<>();
  final ExecutorService pool = Executors.newFixedThreadPool(2);
  Wallet wallet;

  /** A rail whose channels hold at most 3,000 units, paying through a server that holds top-ups. */
  @BeforeEach
  void start() {
    TempoSessionConfig config =
        TempoSessionConfig.builder(1337)
            .asset(EvmAddress.parse(TempoSessionRailTest.TOKEN))
            .trustEscrow(SessionProtocol.V1, EvmAddress.parse(TempoSessionRailTest.ESCROW))
            .maxDeposit(BigInteger.valueOf(3_000))
            .maxFeePerGas(BigInteger.valueOf(10_000_000_000L))
            .build();
    TempoSessionRail rail =
        TempoSessionRail.builder(config, TempoSessionRailTest.key(), channels)
            .clock(Clock.fixed(TempoSessionRailTest.NOW, ZoneOffset.UTC))
            .ledger(ledger)
            .transport((method, url, headers) -> serve(method, headers))
            .build();
    wallet =
        Wallet.builder()
            .ledger(ledger)
            .rail(rail)
            .clock(Clock.fixed(TempoSessionRailTest.NOW, ZoneOffset.UTC))
            .agent("bot", Policy.unlimited())
            .build();
  }

  @AfterEach
  void stop() {
    serverAnswers.countDown(); // a failed test must not leave the pool's threads waiting
    pool.shutdownNow();
    wallet.close();
  }

  static Challenge challenge(String id, long amount) {
    return TempoSessionRailTest.challenge(id, null, amount);
  }

  /** The server: holds top-ups until the test lets it answer. */
  SessionTransport.Response serve(String method, Map<String, String> headers) throws IOException {
    String action =
        Credential.parse(headers.get("Authorization")).payload().path("action").asText();
    synchronized (actions) {
      actions.add(action);
    }
    if (action.equals("topUp")) {
      topUpSent.countDown();
      try {
        assertThat(serverAnswers.await(60, TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("test ended");
      }
    }
    return new SessionTransport.Response(204, Map.of(), new byte[0]);
  }

  PaymentAuthorization pay(Challenge challenge) {
    PaymentAuthorization paid =
        wallet.authorize(
            PaymentContext.of(TempoSessionRailTest.URL, "GET", "bot"), List.of(challenge));
    paid.settle(200, null, null);
    return paid;
  }

  @Test
  void aCoveredRequestSignsWhileAnotherRequestsTopUpIsOnItsWay() throws Exception {
    pay(challenge("open", 1_000)); // deposit 3,000, 1,000 signed
    pay(challenge("mid", 1_500)); // 2,500 signed, 500 left

    Future<PaymentAuthorization> short1000 = pool.submit(() -> pay(challenge("short", 1_000)));
    assertThat(topUpSent.await(60, TimeUnit.SECONDS)).as("the top-up reached the server").isTrue();
    Future<PaymentAuthorization> covered500 = pool.submit(() -> pay(challenge("covered", 500)));

    assertThat(TempoSessionRailTest.amount(covered500.get(60, TimeUnit.SECONDS)))
        .as("signed while the top-up waits for the server")
        .isEqualTo(BigInteger.valueOf(3_000));
    assertThat(short1000.isDone()).as("the top-up is still unanswered").isFalse();

    serverAnswers.countDown();
    assertThat(TempoSessionRailTest.amount(short1000.get(60, TimeUnit.SECONDS)))
        .isEqualTo(BigInteger.valueOf(4_000));
    ChannelState channel = channels.list("bot").get(0);
    assertThat(channel.deposit())
        .as("topped up by maxDeposit less the unspent 500")
        .isEqualTo(BigInteger.valueOf(5_500));
    assertThat(channel.highestSigned()).isEqualTo(BigInteger.valueOf(4_000));
    assertThat(actions).containsExactly("topUp");
  }
}
