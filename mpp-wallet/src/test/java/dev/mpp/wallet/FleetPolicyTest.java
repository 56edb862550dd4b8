package dev.mpp.wallet;

import static dev.mpp.wallet.testing.Offers.context;
import static dev.mpp.wallet.testing.Offers.offer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.Offers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An agent's payment must pass its own policy and its fleet's: the tighter rule wins. */
class FleetPolicyTest {
  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();

  private Wallet.Builder builder() {
    return Wallet.builder().ledger(ledger).rail(Offers.usdRail());
  }

  private static void assertDenied(Wallet wallet, String agent, String cents, String rule) {
    assertThatThrownBy(
            () -> wallet.authorize(context(agent), List.of(offer("x", "test", cents, "usd"))))
        .isInstanceOfSatisfying(
            PaymentDeniedException.class, e -> assertThat(e.rule()).isEqualTo(rule));
  }

  private static PaymentRecord pay(Wallet wallet, String agent, String cents) {
    return wallet
        .authorize(context(agent), List.of(offer("p", "test", cents, "usd")))
        .settle(200, null, null);
  }

  @Test
  void fleetCapTighterThanAgentCap() {
    Wallet wallet =
        builder()
            .fleet("acme", Policy.builder().cap(Window.DAY, "3.00").build())
            .agent("bot-1", "acme", Policy.builder().cap(Window.DAY, "5.00").build())
            .build();
    assertThat(pay(wallet, "bot-1", "250").fleet()).isEqualTo("acme");

    assertDenied(wallet, "bot-1", "51", "fleet:acme/cap/day");
  }

  @Test
  void agentCapTighterThanFleetCap() {
    Wallet wallet =
        builder()
            .fleet("acme", Policy.builder().cap(Window.DAY, "10.00").build())
            .agent("bot-1", "acme", Policy.builder().cap(Window.DAY, "1.00").build())
            .build();
    pay(wallet, "bot-1", "100");

    assertDenied(wallet, "bot-1", "1", "agent:bot-1/cap/day");
  }

  @Test
  void fleetCapIsSharedByItsAgentsWhileAgentCapsAreNot() {
    Wallet wallet =
        builder()
            .fleet("acme", Policy.builder().cap(Window.DAY, "2.00").build())
            .agent("bot-1", "acme", Policy.builder().cap(Window.DAY, "1.50").build())
            .agent("bot-2", "acme", Policy.builder().cap(Window.DAY, "1.50").build())
            .agent("loner", Policy.builder().cap(Window.DAY, "1.50").build())
            .build();
    pay(wallet, "bot-1", "150");
    pay(wallet, "bot-2", "50");

    assertDenied(wallet, "bot-2", "1", "fleet:acme/cap/day");
    assertDenied(wallet, "bot-1", "1", "agent:bot-1/cap/day");
    pay(wallet, "loner", "150");
  }

  @Test
  void fleetRulesApplyToEveryAgent() {
    Wallet wallet =
        builder()
            .fleet(
                "acme",
                Policy.builder().maxPerPayment("0.10").denyOrigins("api.example.com").build())
            .agent("bot-1", "acme", Policy.builder().maxPerPayment("1.00").build())
            .build();

    assertDenied(wallet, "bot-1", "5", "fleet:acme/deny/origin");
    assertThatThrownBy(
            () ->
                wallet.authorize(
                    context("https://other.example.com/", "bot-1"),
                    List.of(offer("y", "test", "11", "usd"))))
        .isInstanceOfSatisfying(
            PaymentDeniedException.class,
            e -> {
              assertThat(e.rule()).isEqualTo("fleet:acme/max-per-payment");
              assertThat(e.limit())
                  .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.10"));
            });
  }

  @Test
  void agentRulesAreCheckedBeforeTheFleets() {
    Wallet wallet =
        builder()
            .fleet("acme", Policy.builder().maxPerPayment("0.10").build())
            .agent("bot-1", "acme", Policy.builder().maxPerPayment("0.05").build())
            .build();

    assertDenied(wallet, "bot-1", "20", "agent:bot-1/max-per-payment");
  }

  @Test
  void unknownAgentsAreRefusedUnlessADefaultPolicyIsSet() {
    Wallet strict = builder().agent("bot-1", Policy.unlimited()).build();
    assertThatThrownBy(
            () -> strict.authorize(context("intruder"), List.of(offer("a", "test", "1", "usd"))))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
              assertThat(e.getMessage()).contains("no policy for agent 'intruder'");
            });

    Wallet lenient =
        builder()
            .fleet("acme", Policy.builder().cap(Window.DAY, "1.00").build())
            .defaultAgent("acme", Policy.builder().cap(Window.DAY, "0.60").build())
            .build();
    pay(lenient, "a", "60");
    assertDenied(lenient, "a", "1", "agent:a/cap/day");
    pay(lenient, "b", "40");
    assertDenied(lenient, "c", "1", "fleet:acme/cap/day");
  }

  @Test
  void anAgentOfAnUnregisteredFleetIsAConfigurationError() {
    assertThatThrownBy(() -> builder().agent("bot", "ghost", Policy.unlimited()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("fleet 'ghost'");
  }
}
