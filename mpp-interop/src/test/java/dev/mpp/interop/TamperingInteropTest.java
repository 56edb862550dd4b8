package dev.mpp.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.ProblemType;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replays and tampering, end to end: the wallet pays through an adapter as usual, a proxy alters
 * what reaches the reference server, and the server must refuse it while the ledger records each
 * attempt once, in the state the chain confirms (no double count, nothing lost). Payer: dev account
 * 4 (OkHttp) and 7 (JDK).
 */
@ExtendWith(LocalStackExtension.class)
class TamperingInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AGENT = "tampering";

  private final LocalStack stack;
  private final Chain chain;
  private final TamperingProxy proxy;

  TamperingInteropTest(LocalStack stack) {
    this.stack = stack;
    this.chain = new Chain(stack.chain());
    this.proxy = new TamperingProxy(stack.server().baseUrl());
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  private static DevAccount payer(Adapter adapter) {
    return DevAccount.get(adapter == Adapter.OKHTTP ? 4 : 7);
  }

  private Wallet wallet(Adapter adapter, TempoMode mode) {
    return Wallet.builder()
        .ledger(new InMemoryLedgerStore())
        .rail(Rails.tempo(stack, payer(adapter), mode))
        .agent(AGENT, Policy.unlimited())
        .build();
  }

  private BigInteger recipientBalance() {
    return chain.balance(LocalChain.PATH_USD, stack.server().recipient());
  }

  private static BigInteger paid(Wallet wallet) {
    return wallet.records(LedgerQuery.all()).stream()
        .filter(r -> r.state() == PaymentState.PAID)
        .map(PaymentRecord::amount)
        .reduce(BigInteger.ZERO, BigInteger::add);
  }

  /** What the ledger counts against caps: paid, held and unknown amounts. */
  private static BigInteger counted(Wallet wallet) {
    return wallet.records(LedgerQuery.all()).stream()
        .filter(r -> r.state().counts())
        .map(PaymentRecord::amount)
        .reduce(BigInteger.ZERO, BigInteger::add);
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void aReplayedCredentialIsRefusedAndCountedOnce(Adapter adapter) {
    BigInteger before = recipientBalance();
    try (Wallet wallet = wallet(adapter, TempoMode.PULL)) {
      Adapter.Agent agent = adapter.agent(wallet, AGENT);
      Adapter.Fetched first = agent.get(proxy.url(ServerRoute.TEMPO_CHARGE.path()));
      assertThat(first.status()).as(first.body()).isEqualTo(200);
      String used = proxy.forwarded.get(0);

      proxy.tamper(authorization -> used);
      Adapter.Fetched replay = agent.get(proxy.url(ServerRoute.TEMPO_CHARGE.path()));

      assertThat(replay.status()).isEqualTo(402);
      assertThat(replay.problem().orElseThrow().type()).isEqualTo(ProblemType.VERIFICATION_FAILED);
      assertThat(replay.problem().get().detail().orElseThrow()).contains("already been used");
      // "Verification failed" does not prove that nothing settled: the new payment stays counted
      // as unknown, under the hash of the transaction the wallet signed for it...
      PaymentRecord refused = replay.record().orElseThrow();
      assertThat(refused.state()).isEqualTo(PaymentState.UNKNOWN);
      assertThat(refused.reference()).matches("0x[0-9a-f]{64}");
      assertThat(wallet.records(LedgerQuery.all())).hasSize(2);
      assertThat(paid(wallet)).isEqualTo(BigInteger.valueOf(10_000));
      assertThat(recipientBalance().subtract(before)).isEqualTo(BigInteger.valueOf(10_000));
      // ...which never reached the chain: reconciled as released, one payment is counted once.
      assertThat(stack.chain().receipt(refused.reference())).isEmpty();
      wallet.reconcileReleased(refused.id(), "transaction never mined");
      assertThat(counted(wallet)).isEqualTo(BigInteger.valueOf(10_000));
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void anAlteredEchoedRequestIsRefusedBeforeSettlement(Adapter adapter) {
    BigInteger before = recipientBalance();
    proxy.tamper(TamperingInteropTest::cheapen);
    try (Wallet wallet = wallet(adapter, TempoMode.PULL)) {
      Adapter.Fetched fetched =
          adapter.agent(wallet, AGENT).get(proxy.url(ServerRoute.TEMPO_CHARGE.path()));

      assertThat(fetched.status()).isEqualTo(402);
      assertThat(fetched.problem().orElseThrow().type()).isEqualTo(ProblemType.INVALID_CHALLENGE);
      assertThat(fetched.record().orElseThrow().state()).isEqualTo(PaymentState.RELEASED);
      assertThat(wallet.records(LedgerQuery.all())).hasSize(1);
      assertThat(counted(wallet)).isZero();
      assertThat(recipientBalance()).isEqualTo(before);
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void anAlteredRequestAfterAPushKeepsTheSettledAmountCounted(Adapter adapter) {
    BigInteger before = recipientBalance();
    proxy.tamper(TamperingInteropTest::cheapen);
    try (Wallet wallet = wallet(adapter, TempoMode.PUSH)) {
      Adapter.Fetched fetched =
          adapter.agent(wallet, AGENT).get(proxy.url(ServerRoute.TEMPO_CHARGE.path()));

      assertThat(fetched.status()).isEqualTo(402);
      assertThat(fetched.problem().orElseThrow().type()).isEqualTo(ProblemType.INVALID_CHALLENGE);
      PaymentRecord record = fetched.record().orElseThrow();
      // The rail broadcast the transfer before the server refused the credential: money moved,
      // so the payment stays counted, with the transaction to reconcile against.
      assertThat(recipientBalance().subtract(before)).isEqualTo(BigInteger.valueOf(10_000));
      assertThat(record.state()).isEqualTo(PaymentState.UNKNOWN);
      assertThat(counted(wallet)).isEqualTo(BigInteger.valueOf(10_000));
      TransactionReceipt tx = chain.receipt(record.reference());
      assertThat(tx.success()).isTrue();
      assertThat(Chain.transfers(tx, LocalChain.PATH_USD))
          .contains(
              Chain.Transfer.of(payer(adapter).address(), stack.server().recipient(), 10_000));
      assertThat(wallet.reconcilePaid(record.id(), tx.transactionHash()).state())
          .isEqualTo(PaymentState.PAID);
      assertThat(paid(wallet)).isEqualTo(recipientBalance().subtract(before));
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void aChallengeAboutToExpireIsNotPaid(Adapter adapter) {
    // The flow's default 5 s margin: a challenge living 4 s is as good as expired.
    try (Wallet wallet = wallet(adapter, TempoMode.PULL)) {
      assertThatThrownBy(
              () -> adapter.agent(wallet, AGENT).get(stack.url(ServerRoute.TEMPO_EXPIRING)))
          .isInstanceOfSatisfying(
              MppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHALLENGE_EXPIRED));
      assertThat(wallet.records(LedgerQuery.all())).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void anExpiredChallengeIsRefusedBeforeSettlement(Adapter adapter) {
    BigInteger before = recipientBalance();
    proxy.tamper(TamperingInteropTest::holdUntilExpired);
    try (Wallet wallet = wallet(adapter, TempoMode.PULL)) {
      // No safety margin, so that the credential reaches the server, which must refuse it.
      PaymentFlow flow = PaymentFlow.builder(wallet).agent(AGENT).clockSkew(Duration.ZERO).build();
      Adapter.Fetched fetched =
          adapter.agent(flow).get(proxy.url(ServerRoute.TEMPO_EXPIRING.path()));

      assertThat(fetched.status()).isEqualTo(402);
      assertThat(fetched.problem().orElseThrow().type()).isEqualTo(ProblemType.PAYMENT_EXPIRED);
      assertThat(fetched.record().orElseThrow().state()).isEqualTo(PaymentState.RELEASED);
      assertThat(counted(wallet)).isZero();
      assertThat(recipientBalance()).isEqualTo(before);
    }
  }

  /** Rewrites the echoed request's amount to 1 base unit, leaving everything else as sent. */
  private static String cheapen(String authorization) {
    ObjectNode credential = decode(authorization.substring("Payment ".length()));
    ObjectNode challenge = (ObjectNode) credential.get("challenge");
    ObjectNode request = decode(challenge.get("request").asText());
    request.put("amount", "1");
    challenge.put("request", encode(request));
    return "Payment " + encode(credential);
  }

  /** Forwards the credential unchanged, but only once its challenge has expired. */
  private static String holdUntilExpired(String authorization) throws InterruptedException {
    ObjectNode credential = decode(authorization.substring("Payment ".length()));
    Instant expires = Instant.parse(credential.get("challenge").get("expires").asText());
    Duration wait = Duration.between(Instant.now(), expires.plusMillis(500));
    if (!wait.isNegative()) {
      Thread.sleep(wait.toMillis());
    }
    return authorization;
  }

  private static ObjectNode decode(String base64Url) {
    try {
      return (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(base64Url));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String encode(ObjectNode json) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
