package dev.mpp.rail.evm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.evm.signer.Signer;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** EvmRail.Builder: signer, defaultValidity and clock are one-shot; chains and tokens add up. */
class EvmRailBuilderTest {
  // anvil's well-known dev account 0; never holds real funds.
  private static final Signer SIGNER =
      PrivateKeySigner.of(
          "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80".toCharArray());

  static Stream<Arguments> oneShotSetters() {
    return Stream.of(
        setter("signer", b -> b.signer(SIGNER)),
        setter("defaultValidity", b -> b.defaultValidity(Duration.ofSeconds(60))),
        setter("clock", b -> b.clock(Clock.systemUTC())));
  }

  private static Arguments setter(String name, Consumer<EvmRail.Builder> call) {
    return Arguments.of(name, call);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneShotSetters")
  void aOneShotSetterCalledTwiceThrowsNamingIt(String name, Consumer<EvmRail.Builder> call) {
    EvmRail.Builder builder = EvmRail.builder();
    call.accept(builder);

    assertThatThrownBy(() -> call.accept(builder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(name + " was already set");
  }

  @Test
  void anInvalidValueDoesNotUseUpTheOneShot() {
    EvmRail.Builder builder = EvmRail.builder();
    assertThatThrownBy(() -> builder.defaultValidity(Duration.ZERO))
        .isInstanceOf(ConfigurationException.class);

    builder.defaultValidity(Duration.ofSeconds(30));
  }

  @Test
  void chainsAndTokensAddUp() {
    EvmRail rail =
        EvmRail.builder()
            .signer(SIGNER)
            .chain(8453)
            .chain(1)
            .tokens(EvmToken.usdcOnBase())
            .tokens(EvmToken.usdcOnEthereum())
            .build();

    assertThat(rail.toString()).contains("8453").contains("tokens=[evm:8453:").contains("evm:1:");
  }
}
