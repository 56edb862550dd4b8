package dev.mpp.wallet;

import static dev.mpp.wallet.testing.Offers.context;
import static dev.mpp.wallet.testing.Offers.offer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.testing.Offers;
import dev.mpp.wallet.testing.TestRail;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ApprovalTest {
  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  private final TestRail rail = Offers.usdRail();
  private final List<ApprovalRequest> asked = new CopyOnWriteArrayList<>();

  private Wallet wallet(Policy agent, Policy fleet, ApprovalCallback callback) {
    Wallet.Builder builder = Wallet.builder().ledger(ledger).rail(rail);
    if (fleet != null) {
      builder.fleet("acme", fleet).agent("bot", "acme", agent);
    } else {
      builder.agent("bot", agent);
    }
    return builder
        .approvals(
            request -> {
              asked.add(request);
              return callback.approve(request);
            })
        .build();
  }

  private void assertApprovalDenied(Wallet wallet, String cents, String rule, String reason) {
    assertThatThrownBy(
            () -> wallet.authorize(context("bot"), List.of(offer("x", "test", cents, "usd"))))
        .isInstanceOfSatisfying(
            PaymentDeniedException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.APPROVAL_DENIED);
              assertThat(e.rule()).isEqualTo(rule);
              assertThat(e.getMessage()).contains(reason);
            });
    assertThat(ledger.query(LedgerQuery.all())).isEmpty();
    assertThat(rail.payments()).isZero();
  }

  @Test
  void onlyPaymentsAboveTheThresholdAreAsked() {
    Wallet wallet = wallet(Policy.builder().approvalAbove("1.00").build(), null, r -> true);

    wallet.authorize(context("bot"), List.of(offer("a", "test", "100", "usd")));
    assertThat(asked).isEmpty();
    wallet.authorize(context("bot"), List.of(offer("b", "test", "101", "usd")));

    assertThat(asked).hasSize(1);
    ApprovalRequest request = asked.get(0);
    assertThat(request.agent()).isEqualTo("bot");
    assertThat(request.challengeId()).isEqualTo("b");
    assertThat(request.usd()).isEqualByComparingTo("1.01");
    assertThat(request.url()).isEqualTo("https://api.example.com/v1/data");
    assertThat(request.rule()).isEqualTo("agent:bot/approval");
    assertThat(request.description()).isEqualTo("test offer b");
  }

  @Test
  void aRefusalDenies() {
    Wallet wallet = wallet(Policy.builder().approvalAbove("0.10").build(), null, r -> false);
    assertApprovalDenied(wallet, "11", "agent:bot/approval", "was not approved");
  }

  @Test
  void aTimeoutDenies() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    Policy policy =
        Policy.builder().approvalAbove("0.10").approvalTimeout(Duration.ofMillis(50)).build();
    Wallet wallet =
        wallet(
            policy,
            null,
            r -> {
              try {
                never.await();
              } catch (InterruptedException e) {
                interrupted.countDown();
              }
              return true;
            });

    assertApprovalDenied(wallet, "11", "agent:bot/approval", "got no approval within 50 ms");
    interrupted.await(); // the abandoned callback was interrupted, not left running
  }

  @Test
  void aFailingCallbackDenies() {
    Wallet wallet =
        wallet(
            Policy.builder().approvalAbove("0.10").build(),
            null,
            r -> {
              throw new IllegalStateException("operator console down");
            });
    assertApprovalDenied(wallet, "11", "agent:bot/approval", "callback failed");
  }

  @Test
  void theLowerThresholdOfAgentAndFleetApplies() {
    Wallet wallet =
        wallet(
            Policy.builder().approvalAbove("5.00").build(),
            Policy.builder().approvalAbove("0.50").build(),
            r -> false);
    wallet.authorize(context("bot"), List.of(offer("a", "test", "50", "usd")));
    assertThat(rail.payments()).isEqualTo(1);
    ledger
        .query(LedgerQuery.all())
        .forEach(
            r ->
                ledger.transition(
                    r.id(), dev.mpp.client.PaymentState.RELEASED, null, null, null, r.createdAt()));

    assertThatThrownBy(
            () -> wallet.authorize(context("bot"), List.of(offer("b", "test", "51", "usd"))))
        .isInstanceOfSatisfying(
            PaymentDeniedException.class,
            e -> assertThat(e.rule()).isEqualTo("fleet:acme/approval"));
  }

  @Test
  void aPolicyAskingForApprovalNeedsACallback() {
    assertThatThrownBy(
            () ->
                Wallet.builder()
                    .ledger(ledger)
                    .rail(rail)
                    .agent("bot", Policy.builder().approvalAbove("1").build())
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no approval callback");
  }
}
