package dev.mpp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.ledger.jdbc.SqliteLedgerStore;
import dev.mpp.rail.tempo.TempoMode;
import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.testkit.stack.LocalChain;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.testkit.stack.LocalStackExtension;
import dev.mpp.testkit.stack.ServerRoute;
import dev.mpp.testkit.stack.TransactionReceipt;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chain truth: after 52 paid calls (both adapters, pull, push and sponsored, most of them
 * concurrent), the recipient's pathUSD balance on anvil must have grown by exactly the sum of the
 * amounts the ledgers committed, to the base unit, and each payer's balance must have shrunk by its
 * committed amounts plus the fees it paid on chain. Payers: dev account 0 (pull wallet) and 1 (push
 * wallet), used by no other test; nothing else pays the recipient while this test runs.
 */
@ExtendWith(LocalStackExtension.class)
class ChainTruthInteropTest {
  private static final int SEQUENTIAL_PER_LANE = 2;
  private static final int CONCURRENT_PER_LANE = 11;
  private static final int THREADS_PER_LANE = 3;

  private static final DevAccount PULL_PAYER = DevAccount.get(0);
  private static final DevAccount PUSH_PAYER = DevAccount.get(1);

  private final LocalStack stack;
  private final Chain chain;

  ChainTruthInteropTest(LocalStack stack) {
    this.stack = stack;
    this.chain = new Chain(stack.chain());
  }

  /** A wallet of four agents (two per adapter lane) in one fleet, on an SQLite ledger. */
  private Wallet wallet(Path file, DevAccount payer, TempoMode mode) {
    Policy agent = Policy.builder().cap(Window.DAY, "2.00").maxPerPayment("0.10").build();
    return Wallet.builder()
        .ledger(SqliteLedgerStore.open(file))
        .rail(Rails.tempo(stack, payer, mode))
        .fleet("interop", Policy.builder().cap(Window.DAY, "5.00").build())
        .agent("okhttp", "interop", agent)
        .agent("jdk", "interop", agent)
        .build();
  }

  /** One adapter paying through one wallet, cycling through its routes. */
  private record Lane(Adapter.Agent agent, List<URI> routes) {
    Adapter.Fetched call(int n) {
      return agent.get(routes.get(n % routes.size()));
    }
  }

  @Test
  void balancesMoveByExactlyWhatTheLedgersCommitted(@TempDir Path dir) throws Exception {
    String recipient = stack.server().recipient();
    BigInteger recipientBefore = pathUsd(recipient);
    BigInteger pullPayerBefore = pathUsd(PULL_PAYER.address());
    BigInteger pushPayerBefore = pathUsd(PUSH_PAYER.address());
    URI charge = stack.url(ServerRoute.TEMPO_CHARGE);
    URI sponsored = stack.url(ServerRoute.TEMPO_SPONSORED);

    List<Adapter.Fetched> fetched = new ArrayList<>();
    try (Wallet pull = wallet(dir.resolve("pull.db"), PULL_PAYER, TempoMode.PULL);
        Wallet push = wallet(dir.resolve("push.db"), PUSH_PAYER, TempoMode.PUSH)) {
      List<Lane> lanes =
          List.of(
              new Lane(Adapter.OKHTTP.agent(pull, "okhttp"), List.of(charge, charge, sponsored)),
              new Lane(Adapter.JDK.agent(pull, "jdk"), List.of(sponsored, charge)),
              new Lane(Adapter.OKHTTP.agent(push, "okhttp"), List.of(charge)),
              new Lane(Adapter.JDK.agent(push, "jdk"), List.of(charge)));
      for (Lane lane : lanes) {
        for (int i = 0; i < SEQUENTIAL_PER_LANE; i++) {
          fetched.add(lane.call(i));
        }
      }
      ExecutorService pool = Executors.newFixedThreadPool(lanes.size() * THREADS_PER_LANE);
      try {
        List<Future<Adapter.Fetched>> calls = new ArrayList<>();
        for (int i = 0; i < CONCURRENT_PER_LANE; i++) {
          for (Lane lane : lanes) {
            int n = SEQUENTIAL_PER_LANE + i;
            calls.add(pool.submit(() -> lane.call(n)));
          }
        }
        for (Future<Adapter.Fetched> call : calls) {
          fetched.add(call.get(120, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }

      List<PaymentRecord> pulled = pull.records(LedgerQuery.all());
      List<PaymentRecord> pushed = push.records(LedgerQuery.all());
      int calls = lanes.size() * (SEQUENTIAL_PER_LANE + CONCURRENT_PER_LANE);
      assertThat(fetched).hasSize(calls).allSatisfy(f -> assertThat(f.status()).isEqualTo(200));
      assertThat(pulled.size() + pushed.size()).isEqualTo(calls);
      List<PaymentRecord> all = new ArrayList<>(pulled);
      all.addAll(pushed);
      assertThat(all).allSatisfy(r -> assertThat(r.state()).isEqualTo(PaymentState.PAID));
      Set<String> references = new HashSet<>();
      all.forEach(r -> references.add(r.reference()));
      assertThat(references).hasSize(calls);

      BigInteger committed = sum(all);
      BigInteger recipientDelta = pathUsd(recipient).subtract(recipientBefore);
      assertThat(recipientDelta).isEqualTo(committed);

      Spent pullSpent = spent(pulled, PULL_PAYER);
      Spent pushSpent = spent(pushed, PUSH_PAYER);
      BigInteger pullDelta = pullPayerBefore.subtract(pathUsd(PULL_PAYER.address()));
      BigInteger pushDelta = pushPayerBefore.subtract(pathUsd(PUSH_PAYER.address()));
      assertThat(pullDelta).isEqualTo(pullSpent.amounts().add(pullSpent.fees()));
      assertThat(pushDelta).isEqualTo(pushSpent.amounts().add(pushSpent.fees()));
      assertThat(pushSpent.fees()).isPositive();

      System.out.printf(
          "chain truth: %d paid calls (%d sequential, %d concurrent); recipient delta %s = ledger"
              + " committed %s base units; pull payer (dev 0) delta %s = amounts %s + fees %s;"
              + " push payer (dev 1) delta %s = amounts %s + fees %s%n",
          calls,
          lanes.size() * SEQUENTIAL_PER_LANE,
          lanes.size() * CONCURRENT_PER_LANE,
          recipientDelta,
          committed,
          pullDelta,
          pullSpent.amounts(),
          pullSpent.fees(),
          pushDelta,
          pushSpent.amounts(),
          pushSpent.fees());
    }
  }

  private BigInteger pathUsd(String account) {
    return chain.balance(LocalChain.PATH_USD, account);
  }

  private static BigInteger sum(List<PaymentRecord> records) {
    return records.stream().map(PaymentRecord::amount).reduce(BigInteger.ZERO, BigInteger::add);
  }

  private record Spent(BigInteger amounts, BigInteger fees) {}

  /**
   * The committed amounts of {@code records} and the fees their transactions cost {@code payer},
   * each transaction checked to carry exactly the recorded transfer from the payer.
   */
  private Spent spent(List<PaymentRecord> records, DevAccount payer) {
    BigInteger fees = BigInteger.ZERO;
    for (PaymentRecord record : records) {
      TransactionReceipt tx = chain.receipt(record.reference());
      assertThat(tx.success()).isTrue();
      assertThat(tx.from()).isEqualToIgnoringCase(payer.address());
      assertThat(Chain.transfers(tx, LocalChain.PATH_USD))
          .contains(
              Chain.Transfer.of(
                  payer.address(), stack.server().recipient(), record.amount().longValueExact()));
      boolean sponsored = record.url().endsWith(ServerRoute.TEMPO_SPONSORED.path());
      if (!sponsored) {
        fees = fees.add(Chain.tempoFee(tx));
      }
    }
    return new Spent(sum(records), fees);
  }
}
