package dev.mpp.rail.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ConfigurationException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** StripeRail.Builder: every setter but currencies is one-shot. */
class StripeRailBuilderTest {
  private static final String KEY = "sk_test_51ZyXwVuTsRqPoNmLkJiHgFeDc9876543210";

  static Stream<Arguments> oneShotSetters() {
    return Stream.of(
        setter("secretKey", b -> b.secretKey(StripeSecretKey.of(KEY))),
        setter("paymentMethod", b -> b.paymentMethod("pm_1Saved")),
        setter("paymentMethodType", b -> b.paymentMethodType("link")),
        setter("fees", b -> b.fees(StripeFees.none())),
        setter("apiBase", b -> b.apiBase(URI.create("http://127.0.0.1:1"))),
        setter("maxNetworkRetries", b -> b.maxNetworkRetries(1)),
        setter("timeouts", b -> b.timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))),
        setter("defaultTokenLifetime", b -> b.defaultTokenLifetime(Duration.ofMinutes(5))),
        setter("clock", b -> b.clock(Clock.systemUTC())));
  }

  private static Arguments setter(String name, Consumer<StripeRail.Builder> call) {
    return Arguments.of(name, call);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneShotSetters")
  void aOneShotSetterCalledTwiceThrowsNamingIt(String name, Consumer<StripeRail.Builder> call) {
    StripeRail.Builder builder = StripeRail.builder();
    call.accept(builder);

    assertThatThrownBy(() -> call.accept(builder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(name + " was already set")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void anInvalidValueDoesNotUseUpTheOneShot() {
    StripeRail.Builder builder = StripeRail.builder();
    assertThatThrownBy(() -> builder.maxNetworkRetries(11))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> builder.apiBase(URI.create("http://api.example.com")))
        .isInstanceOf(ConfigurationException.class);

    builder.maxNetworkRetries(3).apiBase(URI.create("http://127.0.0.1:1"));
  }

  @Test
  void currenciesAddUp() {
    StripeRail rail =
        StripeRail.builder()
            .secretKey(StripeSecretKey.of(KEY))
            .paymentMethod("pm_1Saved")
            .currencies("usd")
            .currencies("eur")
            .build();

    assertThat(rail.toString()).contains("currencies=[eur, usd]");
  }
}
