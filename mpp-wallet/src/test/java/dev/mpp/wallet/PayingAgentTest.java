package dev.mpp.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PayingAgentTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Instant SOON = NOW.plusSeconds(60);
  private static final Instant LATER = NOW.plusSeconds(3600);

  @Test
  void theStricterOfAgentAndFleetBinds() {
    PayingAgent both =
        new PayingAgent(
            "bot",
            "acme",
            Policy.builder().maxLockable("2.00").expiresAt(LATER).build(),
            Policy.builder().maxLockable("1.00").expiresAt(SOON).build());
    PayingAgent agentOnly =
        new PayingAgent(
            "bot",
            "acme",
            Policy.builder().maxLockable("2.00").build(),
            Policy.builder().expiresAt(LATER).build());
    PayingAgent alone = new PayingAgent("bot", null, Policy.unlimited(), null);

    assertThat(both.maxLockableUsdMicros()).hasValue(1_000_000);
    assertThat(both.expiresAt()).isEqualTo(SOON);
    assertThat(agentOnly.maxLockableUsdMicros()).hasValue(2_000_000);
    assertThat(agentOnly.expiresAt()).isEqualTo(LATER);
    assertThat(alone.maxLockableUsdMicros()).isEmpty();
    assertThat(alone.expiresAt()).isNull();
  }

  @Test
  void limitsAndRulesComeFromTheAgentThenItsFleet() {
    Policy agent = Policy.builder().cap(Window.DAY, "1.00").build();
    Policy fleet = Policy.builder().cap(Window.DAY, "5.00").build();
    PayingAgent bot = new PayingAgent("bot", "acme", agent, fleet);

    assertThat(bot.limits("test:usd", NOW))
        .extracting(Limit::rule)
        .containsExactly("agent:bot/cap/day", "fleet:acme/cap/day");
    assertThat(bot.scoped())
        .extracting(Selection.Scoped::label)
        .containsExactly("agent:bot", "fleet:acme");
    assertThat(bot.policyOf(Limit.Scope.agent("bot"))).containsSame(agent);
    assertThat(bot.policyOf(Limit.Scope.fleet("acme"))).containsSame(fleet);
    assertThat(bot.policyOf(Limit.Scope.fleet("other"))).isEmpty();
  }
}
