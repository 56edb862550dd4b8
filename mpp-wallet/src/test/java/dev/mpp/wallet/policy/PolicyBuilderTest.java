package dev.mpp.wallet.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ConfigurationException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Policy.Builder: one-value setters fail loudly the second time; caps and lists add up. */
class PolicyBuilderTest {

  static Stream<Arguments> oneShotSetters() {
    return Stream.of(
        Arguments.of("maxPerPayment", (Consumer<Policy.Builder>) b -> b.maxPerPayment("0.50")),
        Arguments.of("maxLockable", (Consumer<Policy.Builder>) b -> b.maxLockable("2.00")),
        Arguments.of(
            "expiresAt",
            (Consumer<Policy.Builder>) b -> b.expiresAt(Instant.parse("2030-01-01T00:00:00Z"))),
        Arguments.of("approvalAbove", (Consumer<Policy.Builder>) b -> b.approvalAbove("1.00")),
        Arguments.of(
            "approvalTimeout",
            (Consumer<Policy.Builder>) b -> b.approvalTimeout(Duration.ofSeconds(5))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneShotSetters")
  void aOneShotSetterCalledTwiceThrowsNamingIt(String name, Consumer<Policy.Builder> call) {
    Policy.Builder builder = Policy.builder();
    call.accept(builder);

    assertThatThrownBy(() -> call.accept(builder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(name + " was already set");
  }

  @Test
  void theJsonPathSharesTheOneShotWithThePublicSetter() {
    Policy.Builder builder = Policy.builder().maxPerPayment("0.50").maxLockable("1");

    assertThatThrownBy(() -> builder.maxPerPaymentUsdMicros(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxPerPayment was already set");
    assertThatThrownBy(() -> builder.maxLockableUsdMicros(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxLockable was already set");
  }

  @Test
  void anInvalidValueDoesNotUseUpTheOneShot() {
    Policy.Builder builder = Policy.builder();
    assertThatThrownBy(() -> builder.approvalTimeout(Duration.ZERO))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> builder.maxPerPayment("lots"))
        .isInstanceOf(ConfigurationException.class);

    Policy policy = builder.approvalTimeout(Duration.ofSeconds(7)).maxPerPayment("0.25").build();

    assertThat(policy.approvalTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(policy.maxPerPaymentUsdMicros()).hasValue(250_000);
  }

  @Test
  void repeatableSettersAddUp() {
    Policy policy =
        Policy.builder()
            .cap(Window.DAY, "5.00")
            .cap(Window.HOUR, "1.00")
            .maxPayments(Window.DAY, 10)
            .assetCap(Window.DAY, "test:usd", BigInteger.TEN)
            .allowOrigins("a.example.com")
            .allowOrigins("b.example.com")
            .denyMethods("stripe")
            .denyMethods("lightning")
            .alertAtPercent(50)
            .alertAtPercent(80)
            .build();

    assertThat(policy.caps()).hasSize(4);
    assertThat(policy.allowed(Attribute.ORIGIN)).containsExactly("a.example.com", "b.example.com");
    assertThat(policy.denied(Attribute.METHOD)).containsExactly("stripe", "lightning");
    assertThat(policy.alertFractions())
        .extracting(f -> f.toPlainString())
        .containsExactly("0.5", "0.8");
  }
}
