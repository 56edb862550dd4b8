package dev.mpp.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
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
import dev.mpp.wallet.policy.Window;
import java.math.BigInteger;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every Tempo route of the reference server (mppx 0.11.0), paid through each HTTP adapter: pull
 * with the payer paying the fee, pull with the server sponsoring it, push, and the zero-amount
 * proof. Each paid call must answer 200 with a {@code Payment-Receipt}, the ledger record must name
 * the on-chain transaction as its reference, and the chain must show exactly the amount moved (plus
 * the fee the payer paid, if any). Payers: dev account 6 (OkHttp) and 7 (JDK).
 */
@ExtendWith(LocalStackExtension.class)
class TempoRoutesInteropTest {
  private static final String AGENT = "tempo-routes";

  private final LocalStack stack;
  private final Chain chain;
  private final String recipient;

  TempoRoutesInteropTest(LocalStack stack) {
    this.stack = stack;
    this.chain = new Chain(stack.chain());
    this.recipient = stack.server().recipient();
  }

  private static DevAccount payer(Adapter adapter) {
    return DevAccount.get(adapter == Adapter.OKHTTP ? 6 : 7);
  }

  private Wallet wallet(Adapter adapter, TempoMode... modes) {
    return Wallet.builder()
        .ledger(new InMemoryLedgerStore())
        .rail(Rails.tempo(stack, payer(adapter), modes))
        .agent(AGENT, Policy.builder().cap(Window.DAY, "1.00").build())
        .build();
  }

  private BigInteger pathUsd(String account) {
    return chain.balance(LocalChain.PATH_USD, account);
  }

  /** The paid call's checks common to pull and push with the payer paying the fee. */
  private void assertSettledOnChain(
      Adapter.Fetched fetched,
      DevAccount payer,
      long amount,
      boolean payerPaysFee,
      BigInteger payerBefore,
      BigInteger recipientBefore) {
    assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
    Receipt receipt = Receipt.parse(fetched.receiptHeader().orElseThrow());
    assertThat(receipt.status()).isEqualTo("success");
    PaymentRecord record = fetched.paid();
    assertThat(record.state()).isEqualTo(PaymentState.PAID);
    assertThat(record.amount()).isEqualTo(BigInteger.valueOf(amount));
    assertThat(record.currency()).isEqualToIgnoringCase(LocalChain.PATH_USD);
    assertThat(record.reference()).isEqualTo(receipt.reference()).matches("0x[0-9a-f]{64}");
    assertThat(record.receiptHeader()).isEqualTo(fetched.receiptHeader().get());

    TransactionReceipt tx = chain.receipt(record.reference());
    assertThat(tx.success()).isTrue();
    assertThat(tx.from()).isEqualToIgnoringCase(payer.address());
    assertThat(Chain.transfers(tx, LocalChain.PATH_USD))
        .contains(Chain.Transfer.of(payer.address(), recipient, amount));
    BigInteger fee = payerPaysFee ? Chain.tempoFee(tx) : BigInteger.ZERO;
    if (payerPaysFee) {
      assertThat(fee).isPositive();
    }
    assertThat(pathUsd(recipient).subtract(recipientBefore)).isEqualTo(BigInteger.valueOf(amount));
    assertThat(payerBefore.subtract(pathUsd(payer.address())))
        .isEqualTo(BigInteger.valueOf(amount).add(fee));
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void pullWithClientPaidFee(Adapter adapter) {
    DevAccount payer = payer(adapter);
    BigInteger payerBefore = pathUsd(payer.address());
    BigInteger recipientBefore = pathUsd(recipient);
    try (Wallet wallet = wallet(adapter, TempoMode.PULL)) {
      Adapter.Fetched fetched =
          adapter.agent(wallet, AGENT).get(stack.url(ServerRoute.TEMPO_CHARGE));

      assertSettledOnChain(fetched, payer, 10_000, true, payerBefore, recipientBefore);
      assertThat(fetched.body()).contains("\"route\":\"/tempo/charge\"");
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void pushWithClientPaidFee(Adapter adapter) {
    DevAccount payer = payer(adapter);
    BigInteger payerBefore = pathUsd(payer.address());
    BigInteger recipientBefore = pathUsd(recipient);
    try (Wallet wallet = wallet(adapter, TempoMode.PUSH)) {
      Adapter.Fetched fetched =
          adapter.agent(wallet, AGENT).get(stack.url(ServerRoute.TEMPO_CHARGE));

      assertSettledOnChain(fetched, payer, 10_000, true, payerBefore, recipientBefore);
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void pullWithSponsoredFee(Adapter adapter) {
    DevAccount payer = payer(adapter);
    BigInteger payerBefore = pathUsd(payer.address());
    BigInteger recipientBefore = pathUsd(recipient);
    // A wallet allowing both modes: the route offers pull only.
    try (Wallet wallet = wallet(adapter, TempoMode.PUSH, TempoMode.PULL)) {
      Adapter.Fetched fetched =
          adapter.agent(wallet, AGENT).get(stack.url(ServerRoute.TEMPO_SPONSORED));

      assertSettledOnChain(fetched, payer, 20_000, false, payerBefore, recipientBefore);
      assertThat(fetched.paid().feeUsdMicros()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void pushOnlyWalletDoesNotPayAPullOnlyRoute(Adapter adapter) {
    try (Wallet wallet = wallet(adapter, TempoMode.PUSH)) {
      assertThatThrownBy(
              () -> adapter.agent(wallet, AGENT).get(stack.url(ServerRoute.TEMPO_SPONSORED)))
          .isInstanceOfSatisfying(
              MppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_PAYABLE_OFFER));
      assertThat(wallet.records(LedgerQuery.all())).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void zeroAmountProof(Adapter adapter) {
    DevAccount payer = payer(adapter);
    BigInteger payerBefore = pathUsd(payer.address());
    try (Wallet wallet = wallet(adapter, TempoMode.PULL)) {
      Adapter.Fetched fetched = adapter.agent(wallet, AGENT).get(stack.url(ServerRoute.TEMPO_ZERO));

      assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
      PaymentRecord record = fetched.paid();
      assertThat(record.state()).isEqualTo(PaymentState.PAID);
      assertThat(record.amount()).isZero();
      // mppx answers a proof with the challenge id as the reference: nothing went on chain.
      assertThat(record.reference())
          .isEqualTo(record.challengeId())
          .isEqualTo(Receipt.parse(fetched.receiptHeader().orElseThrow()).reference());
      assertThat(pathUsd(payer.address())).isEqualTo(payerBefore);
      assertThat(wallet.budget(AGENT).lines().get(0).paid().signum()).isZero();
    }
  }
}
