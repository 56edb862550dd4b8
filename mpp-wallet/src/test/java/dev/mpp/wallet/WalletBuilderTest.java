package dev.mpp.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.AgentPolicy;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.PolicySet;
import dev.mpp.wallet.price.Prices;
import dev.mpp.wallet.testing.Offers;
import dev.mpp.wallet.testing.TestRail;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Wallet.Builder: one-shot setters fail loudly the second time; the others add up. */
class WalletBuilderTest {
  private static final PolicySet WITH_DEFAULT =
      new PolicySet(Map.of(), Map.of(), new AgentPolicy(null, Policy.unlimited()));

  static Stream<Arguments> oneShotSetters() {
    return Stream.of(
        setter("ledger", b -> b.ledger(new InMemoryLedgerStore())),
        setter("prices", b -> b.prices(Prices.defaults())),
        setter("clock", b -> b.clock(Clock.systemUTC())),
        setter("defaultAgent", b -> b.defaultAgent(null, Policy.unlimited())),
        setter("approvals", b -> b.approvals(request -> true)));
  }

  private static Arguments setter(String name, Consumer<Wallet.Builder> call) {
    return Arguments.of(name, call);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneShotSetters")
  void aOneShotSetterCalledTwiceThrowsNamingIt(String name, Consumer<Wallet.Builder> call) {
    Wallet.Builder builder = Wallet.builder();
    call.accept(builder);

    assertThatThrownBy(() -> call.accept(builder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(name + " was already set");
  }

  @Test
  void aPolicySetsDefaultAgentCountsAsSettingIt() {
    assertThatThrownBy(
            () -> Wallet.builder().defaultAgent(null, Policy.unlimited()).policies(WITH_DEFAULT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("defaultAgent was already set");
    assertThatThrownBy(
            () -> Wallet.builder().policies(WITH_DEFAULT).defaultAgent(null, Policy.unlimited()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("defaultAgent was already set");
    PolicySet withoutDefault =
        new PolicySet(Map.of(), Map.of("bot", new AgentPolicy(null, Policy.unlimited())), null);
    Wallet.builder().defaultAgent(null, Policy.unlimited()).policies(withoutDefault);
  }

  @Test
  void aRefusedPolicySetRegistersNothing() {
    PolicySet set =
        new PolicySet(
            Map.of("acme", Policy.unlimited()),
            Map.of("bot", new AgentPolicy("acme", Policy.unlimited())),
            new AgentPolicy(null, Policy.unlimited()));
    Wallet.Builder builder =
        Wallet.builder()
            .ledger(new InMemoryLedgerStore())
            .rail(Offers.usdRail())
            .defaultAgent(null, Policy.unlimited());

    assertThatThrownBy(() -> builder.policies(set)).isInstanceOf(IllegalStateException.class);

    assertThat(builder.build().toString()).contains("agents=[]").contains("fleets=[]");
  }

  @Test
  void aNullDoesNotUseUpTheOneShot() {
    Wallet.Builder builder = Wallet.builder();
    assertThatThrownBy(() -> builder.ledger(null)).isInstanceOf(NullPointerException.class);
    builder.ledger(new InMemoryLedgerStore());
  }

  @Test
  void repeatableSettersAddUp() {
    TestRail usd = Offers.usdRail();
    Wallet wallet =
        Wallet.builder()
            .ledger(new InMemoryLedgerStore())
            .rail(usd)
            .rail(TestRail.builder().method("other").asset("usd", 2).build())
            .agent("bot", Policy.unlimited())
            .agent("bot-2", "acme", Policy.unlimited())
            .fleet("acme", Policy.unlimited())
            .preferMethods("test")
            .preferMethods("other")
            .listener(crossing -> {})
            .listener(crossing -> {})
            .build();

    assertThat(wallet.toString())
        .contains("rails=[test, other]")
        .contains("bot")
        .contains("bot-2")
        .contains("fleets=[acme]");
  }

  @Test
  void buildStillRequiresALedger() {
    assertThatThrownBy(
            () -> Wallet.builder().rail(Offers.usdRail()).agent("bot", Policy.unlimited()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ledger store");
  }
}
