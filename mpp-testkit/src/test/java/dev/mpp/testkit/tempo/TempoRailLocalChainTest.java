package dev.mpp.testkit.tempo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.PaymentContext;
import dev.mpp.client.wire.Challenge;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.rail.tempo.TempoChargeRail;
import dev.mpp.rail.tempo.TempoConfig;
import dev.mpp.rail.tempo.TempoMode;
import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.testkit.stack.LocalChain;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.testkit.stack.LocalStackExtension;
import dev.mpp.testkit.stack.TransactionReceipt;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.RailPayment;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Tempo rail against a real anvil chain in Tempo mode ({@code --network tempo --hardfork t4
 * --chain-id 1337 --block-time 1}): push payments it broadcasts itself, and pull-mode transactions
 * this test broadcasts, must move exactly the requested amounts ({@code balanceOf} via {@code
 * eth_call} before and after). Payers: dev accounts 4 (push), 5 (concurrent push), 6 (pull).
 */
@ExtendWith(LocalStackExtension.class)
class TempoRailLocalChainTest {

  private static final EvmAddress PATH_USD = EvmAddress.parse(LocalChain.PATH_USD);
  private static final EvmAddress ALPHA_USD = EvmAddress.parse(LocalChain.ALPHA_USD);
  private static final BigInteger MICRO_PER_ATTO = BigInteger.TEN.pow(12);
  private static final PaymentContext CONTEXT =
      PaymentContext.of(URI.create("https://tempo-rail-test.invalid/r"), "GET", "agent");

  private final LocalStack stack;

  TempoRailLocalChainTest(LocalStack stack) {
    this.stack = stack;
  }

  private LocalChain chain() {
    return stack.chain();
  }

  private TempoChargeRail rail(DevAccount payer, TempoMode mode) {
    return rail(payer, mode, 0);
  }

  /**
   * anvil estimates every 0x76 transaction at a flat 784,000 gas, ignoring its calls, while each
   * transfer to a never-funded address costs ~250,000 gas (state creation): payments to several
   * fresh addresses need a gas floor.
   */
  private TempoChargeRail rail(DevAccount payer, TempoMode mode, long gasFloor) {
    TempoConfig config =
        TempoConfig.builder(LocalChain.CHAIN_ID)
            .asset(PATH_USD)
            // Fees in another token, so the currency delta is exactly the payment.
            .feeToken(ALPHA_USD)
            .modes(mode)
            .gasFloor(gasFloor)
            .build();
    return TempoChargeRail.builder(config, PrivateKeySigner.of(payer.privateKeyHex().toCharArray()))
        .rpc(JsonRpcClient.create(stack.rpcUrl()))
        .build();
  }

  private BigInteger balance(EvmAddress token, EvmAddress account) {
    return chain().balanceOf(token.toLowerHex(), account.toLowerHex());
  }

  private BigInteger balance(EvmAddress token, DevAccount account) {
    return chain().balanceOf(token.toLowerHex(), account.address());
  }

  @Test
  void pushPaysExactlyTheAmountAndTheFeeInTheFeeToken() {
    DevAccount payer = DevAccount.get(4);
    TempoChargeRail rail = rail(payer, TempoMode.PUSH);
    EvmAddress recipient = TempoChallenges.freshAddress(new Random(1));
    BigInteger amount = BigInteger.valueOf(1_234_567);
    Challenge challenge = TempoChallenges.charge(amount, recipient).challenge();
    BigInteger payerBefore = balance(PATH_USD, payer);
    BigInteger feeBefore = balance(ALPHA_USD, payer);

    Quote.Payable quote = (Quote.Payable) rail.quote(challenge);
    RailPayment payment = rail.pay(challenge, CONTEXT);

    String hash = payment.payload().get("hash").asText();
    TransactionReceipt receipt = chain().receipt(hash).orElseThrow();
    assertThat(receipt.success()).isTrue();
    assertThat(receipt.from()).isEqualToIgnoringCase(payer.address());
    assertThat(balance(PATH_USD, recipient)).isEqualTo(amount);
    assertThat(balance(PATH_USD, payer)).isEqualTo(payerBefore.subtract(amount));
    // Tempo prices gas in attodollars; the 6-decimal fee token is charged the rounded-up fee.
    BigInteger gasUsed = new BigInteger(receipt.raw().get("gasUsed").asText().substring(2), 16);
    BigInteger price =
        new BigInteger(receipt.raw().get("effectiveGasPrice").asText().substring(2), 16);
    BigInteger[] fee = gasUsed.multiply(price).divideAndRemainder(MICRO_PER_ATTO);
    BigInteger expectedFee = fee[1].signum() == 0 ? fee[0] : fee[0].add(BigInteger.ONE);
    BigInteger feePaid = feeBefore.subtract(balance(ALPHA_USD, payer));
    assertThat(feePaid).isEqualTo(expectedFee).isPositive();
    assertThat(feePaid).isLessThanOrEqualTo(quote.fee().units());
  }

  @Test
  void pushWithSplitsPaysEveryRecipientExactly() {
    DevAccount payer = DevAccount.get(4);
    Random random = new Random(2);
    EvmAddress primary = TempoChallenges.freshAddress(random);
    EvmAddress platform = TempoChallenges.freshAddress(random);
    EvmAddress affiliate = TempoChallenges.freshAddress(random);
    BigInteger payerBefore = balance(PATH_USD, payer);
    Challenge challenge =
        TempoChallenges.charge(BigInteger.valueOf(1_000_000), primary)
            .split(BigInteger.valueOf(50_000), platform, null)
            .split(
                BigInteger.valueOf(10_000),
                affiliate,
                "0x00000000000000000000000000000000000000000000000000000000deadbeef")
            .challenge();

    rail(payer, TempoMode.PUSH, 1_200_000).pay(challenge, CONTEXT);

    assertThat(balance(PATH_USD, primary)).isEqualTo(BigInteger.valueOf(940_000));
    assertThat(balance(PATH_USD, platform)).isEqualTo(BigInteger.valueOf(50_000));
    assertThat(balance(PATH_USD, affiliate)).isEqualTo(BigInteger.valueOf(10_000));
    assertThat(balance(PATH_USD, payer))
        .isEqualTo(payerBefore.subtract(BigInteger.valueOf(1_000_000)));
  }

  @Test
  void twentyConcurrentPushPaymentsFromOneAccountAllSettleExactly() throws Exception {
    DevAccount payer = DevAccount.get(5);
    TempoChargeRail rail = rail(payer, TempoMode.PUSH);
    Random random = new Random(3);
    List<EvmAddress> recipients = new ArrayList<>();
    List<Challenge> challenges = new ArrayList<>();
    BigInteger total = BigInteger.ZERO;
    for (int i = 0; i < 20; i++) {
      EvmAddress recipient = TempoChallenges.freshAddress(random);
      BigInteger amount = BigInteger.valueOf(10_000L + i);
      recipients.add(recipient);
      challenges.add(
          TempoChallenges.charge(amount, recipient)
              .split(BigInteger.valueOf(7), TempoChallenges.freshAddress(random), null)
              .challenge());
      total = total.add(amount);
    }
    BigInteger payerBefore = balance(PATH_USD, payer);

    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Future<RailPayment>> futures = new ArrayList<>();
    try {
      for (Challenge challenge : challenges) {
        futures.add(pool.submit(() -> rail.pay(challenge, CONTEXT)));
      }
      Set<String> hashes = new HashSet<>();
      for (Future<RailPayment> future : futures) {
        hashes.add(future.get().payload().get("hash").asText());
      }
      assertThat(hashes).hasSize(20);
    } finally {
      pool.shutdownNow();
    }

    for (int i = 0; i < 20; i++) {
      assertThat(balance(PATH_USD, recipients.get(i)))
          .as("recipient %d", i)
          .isEqualTo(BigInteger.valueOf(10_000L + i - 7));
    }
    assertThat(balance(PATH_USD, payer)).isEqualTo(payerBefore.subtract(total));
  }

  @Test
  void pullTransactionsBroadcastByAThirdPartyMineAndMoveTheAmounts() {
    DevAccount payer = DevAccount.get(6);
    TempoChargeRail rail = rail(payer, TempoMode.PULL);
    Random random = new Random(4);
    EvmAddress primary = TempoChallenges.freshAddress(random);
    EvmAddress split = TempoChallenges.freshAddress(random);
    BigInteger payerBefore = balance(PATH_USD, payer);
    Challenge challenge =
        TempoChallenges.charge(BigInteger.valueOf(777_777), primary)
            .split(BigInteger.valueOf(77_777), split, null)
            .challenge();

    RailPayment payment = rail.pay(challenge, CONTEXT);
    assertThat(payment.payload().get("type").asText()).isEqualTo("transaction");
    String hash = chain().sendRawTransaction(payment.payload().get("signature").asText());
    TransactionReceipt receipt = chain().waitForReceipt(hash, Duration.ofSeconds(30));

    assertThat(receipt.success()).isTrue();
    assertThat(receipt.from()).isEqualToIgnoringCase(payer.address());
    assertThat(payment.preSettlementReference()).contains(hash);
    assertThat(balance(PATH_USD, primary)).isEqualTo(BigInteger.valueOf(700_000));
    assertThat(balance(PATH_USD, split)).isEqualTo(BigInteger.valueOf(77_777));
    assertThat(balance(PATH_USD, payer))
        .isEqualTo(payerBefore.subtract(BigInteger.valueOf(777_777)));
  }

  @Test
  void severalPullTransactionsFromOneAccountAllMine() {
    DevAccount payer = DevAccount.get(6);
    TempoChargeRail rail = rail(payer, TempoMode.PULL);
    Random random = new Random(5);
    List<EvmAddress> recipients = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      EvmAddress recipient = TempoChallenges.freshAddress(random);
      recipients.add(recipient);
      RailPayment payment =
          rail.pay(
              TempoChallenges.charge(BigInteger.valueOf(1_000 + i), recipient).challenge(),
              CONTEXT);
      hashes.add(chain().sendRawTransaction(payment.payload().get("signature").asText()));
    }

    for (int i = 0; i < 5; i++) {
      assertThat(chain().waitForReceipt(hashes.get(i), Duration.ofSeconds(30)).success()).isTrue();
      assertThat(balance(PATH_USD, recipients.get(i))).isEqualTo(BigInteger.valueOf(1_000 + i));
    }
  }
}
