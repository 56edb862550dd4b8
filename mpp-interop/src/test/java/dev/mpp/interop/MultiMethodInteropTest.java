package dev.mpp.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Receipt;
import dev.mpp.rail.tempo.TempoMode;
import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.testkit.stack.LocalChain;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.testkit.stack.LocalStackExtension;
import dev.mpp.testkit.stack.ServerRoute;
import dev.mpp.testkit.stack.TransactionReceipt;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import java.math.BigInteger;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The multi-offer route ({@code /multi}: tempo 0.03 pathUSD, tempo 0.025 AlphaUSD, test 0.02 usd in
 * one 402): the wallet pays the cheapest offer its policy allows, the next cheapest when that
 * method is denied, and nothing when every method is denied. Payer: dev account 4.
 */
@ExtendWith(LocalStackExtension.class)
class MultiMethodInteropTest {
  private static final String AGENT = "multi";
  private static final DevAccount PAYER = DevAccount.get(4);

  private final LocalStack stack;
  private final Chain chain;

  MultiMethodInteropTest(LocalStack stack) {
    this.stack = stack;
    this.chain = new Chain(stack.chain());
  }

  private Wallet wallet(Policy policy) {
    return Wallet.builder()
        .ledger(new InMemoryLedgerStore())
        .rail(Rails.tempo(stack, PAYER, TempoMode.PULL), Rails.test())
        .agent(AGENT, policy)
        .build();
  }

  private BigInteger balance(String token, String account) {
    return chain.balance(token, account);
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void paysTheCheapestOffer(Adapter adapter) {
    BigInteger payerBefore = balance(LocalChain.PATH_USD, PAYER.address());
    try (Wallet wallet = wallet(Policy.unlimited())) {
      Adapter.Fetched fetched = adapter.agent(wallet, AGENT).get(stack.url(ServerRoute.MULTI));

      assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
      PaymentRecord record = fetched.paid();
      assertThat(record.state()).isEqualTo(PaymentState.PAID);
      assertThat(record.method()).isEqualTo("test");
      assertThat(record.currency()).isEqualTo("usd");
      assertThat(record.amount()).isEqualTo(BigInteger.TWO);
      assertThat(record.usdMicros()).isEqualTo(20_000);
      assertThat(record.rationale()).startsWith("chose #3 test/charge");
      assertThat(Receipt.parse(fetched.receiptHeader().orElseThrow()).reference())
          .isEqualTo(record.challengeId())
          .isEqualTo(record.reference());
      assertThat(balance(LocalChain.PATH_USD, PAYER.address())).isEqualTo(payerBefore);
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void paysTheNextCheapestWhenTheCheapestMethodIsDenied(Adapter adapter) {
    String recipient = stack.server().recipient();
    BigInteger alphaBefore = balance(LocalChain.ALPHA_USD, recipient);
    BigInteger pathBefore = balance(LocalChain.PATH_USD, recipient);
    try (Wallet wallet = wallet(Policy.builder().denyMethods("test").build())) {
      Adapter.Fetched fetched = adapter.agent(wallet, AGENT).get(stack.url(ServerRoute.MULTI));

      assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
      PaymentRecord record = fetched.paid();
      // 0.025 AlphaUSD + fee beats 0.03 pathUSD + fee.
      assertThat(record.method()).isEqualTo("tempo");
      assertThat(record.currency()).isEqualToIgnoringCase(LocalChain.ALPHA_USD);
      assertThat(record.amount()).isEqualTo(BigInteger.valueOf(25_000));
      assertThat(record.rationale()).startsWith("chose #2 tempo/charge");
      TransactionReceipt tx = chain.receipt(record.reference());
      assertThat(Chain.transfers(tx, LocalChain.ALPHA_USD))
          .contains(Chain.Transfer.of(PAYER.address(), recipient, 25_000));
      assertThat(balance(LocalChain.ALPHA_USD, recipient).subtract(alphaBefore))
          .isEqualTo(BigInteger.valueOf(25_000));
      assertThat(balance(LocalChain.PATH_USD, recipient)).isEqualTo(pathBefore);
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void paysNothingWhenEveryMethodIsDenied(Adapter adapter) {
    String recipient = stack.server().recipient();
    BigInteger alphaBefore = balance(LocalChain.ALPHA_USD, recipient);
    BigInteger pathBefore = balance(LocalChain.PATH_USD, recipient);
    try (Wallet wallet = wallet(Policy.builder().denyMethods("test", "tempo").build())) {
      assertThatThrownBy(() -> adapter.agent(wallet, AGENT).get(stack.url(ServerRoute.MULTI)))
          .isInstanceOfSatisfying(
              PaymentDeniedException.class,
              e -> assertThat(e.getMessage()).contains("tempo").contains("test"));
      assertThat(wallet.records(LedgerQuery.all())).isEmpty();
      assertThat(balance(LocalChain.ALPHA_USD, recipient)).isEqualTo(alphaBefore);
      assertThat(balance(LocalChain.PATH_USD, recipient)).isEqualTo(pathBefore);
    }
  }
}
