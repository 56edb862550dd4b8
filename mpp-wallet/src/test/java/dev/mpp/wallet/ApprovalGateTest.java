package dev.mpp.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.policy.Policy;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApprovalGateTest {
  private static final ApprovalRequest REQUEST =
      new ApprovalRequest(
          "bot",
          null,
          "https://api.example.com/x",
          "api.example.com",
          "test",
          "charge",
          "c1",
          null,
          null,
          new Money(BigInteger.valueOf(150), new Asset("test", "usd", null, 2)),
          1_500_000,
          0,
          "agent:bot/approval");
  private static final Duration LONG = Duration.ofMinutes(1);

  private final CountDownLatch never = new CountDownLatch(1);
  private ApprovalGate gate;

  @AfterEach
  void close() {
    never.countDown();
    if (gate != null) {
      gate.close();
    }
  }

  private static Selection.Scoped scoped(String label, Policy policy) {
    return new Selection.Scoped(label, policy);
  }

  @Test
  void onlyAmountsAboveAThresholdNeedApprovalNamingTheFirstRuleAndTheShortestTimeout() {
    List<Selection.Scoped> policies =
        List.of(
            scoped(
                Limit.Scope.agent("bot").label(),
                Policy.builder()
                    .approvalAbove("1.00")
                    .approvalTimeout(Duration.ofSeconds(30))
                    .build()),
            scoped(
                Limit.Scope.fleet("acme").label(),
                Policy.builder()
                    .approvalAbove("0.50")
                    .approvalTimeout(Duration.ofSeconds(5))
                    .build()));

    assertThat(ApprovalGate.need(policies, 500_000)).isEmpty();
    assertThat(ApprovalGate.need(policies, 500_001))
        .contains(new ApprovalGate.Need("fleet:acme/approval", Duration.ofSeconds(5)));
    assertThat(ApprovalGate.need(policies, 1_000_001))
        .contains(new ApprovalGate.Need("agent:bot/approval", Duration.ofSeconds(5)));
    assertThat(ApprovalGate.need(List.of(scoped("agent:bot", Policy.unlimited())), Long.MAX_VALUE))
        .isEmpty();
  }

  @Test
  void onlyTrueApproves() {
    gate = new ApprovalGate(request -> request.challengeId().equals("c1"));
    assertThat(gate.refusal(REQUEST, LONG)).isEmpty();

    gate.close();
    gate = new ApprovalGate(request -> false);
    assertThat(gate.refusal(REQUEST, LONG)).contains("was not approved");
  }

  @Test
  void anExceptionDeniesNamingOnlyItsType() {
    gate =
        new ApprovalGate(
            request -> {
              throw new IllegalStateException("token sk_live_123 rejected");
            });

    assertThat(gate.refusal(REQUEST, LONG))
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .isEqualTo("was not approved (callback failed: IllegalStateException)")
                    .doesNotContain("sk_live_123"));
  }

  @Test
  void noAnswerWithinTheTimeoutDeniesEvenWhenTheCallbackIgnoresInterrupts() {
    gate =
        new ApprovalGate(
            request -> {
              while (true) {
                try {
                  never.await();
                  return true;
                } catch (InterruptedException ignored) {
                  // a callback that will not be stopped
                }
              }
            });

    assertThat(gate.refusal(REQUEST, Duration.ofMillis(20)))
        .contains("got no approval within 20 ms");
  }

  @Test
  void anInterruptedPayerStopsWaitingAndKeepsItsInterrupt() throws Exception {
    gate =
        new ApprovalGate(
            request -> {
              never.await();
              return true;
            });

    Thread.currentThread().interrupt();
    try {
      assertThat(gate.refusal(REQUEST, LONG))
          .contains("was interrupted while waiting for approval");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void withoutACallbackEveryApprovalIsRefused() {
    gate = new ApprovalGate(null);
    assertThat(gate.refusal(REQUEST, LONG))
        .contains("needs approval but no approval callback is configured");
  }

  @Test
  void aClosedGateRefuses() {
    gate = new ApprovalGate(request -> true);
    gate.close();
    assertThat(gate.refusal(REQUEST, LONG))
        .contains("could not ask for approval (RejectedExecutionException)");
  }
}
