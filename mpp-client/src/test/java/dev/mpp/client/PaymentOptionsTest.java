package dev.mpp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.PaymentFlow.AcceptPaymentMode;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PaymentOptionsTest {
  static final Executor DIRECT = Runnable::run;

  static Stream<Arguments> setters() {
    return Stream.of(
        setter("agent", b -> b.agent("bot")),
        setter("clock", b -> b.clock(Clock.systemUTC())),
        setter("clockSkew", b -> b.clockSkew(Duration.ZERO)),
        setter("allowInsecureHttp", b -> b.allowInsecureHttp(true)),
        setter("maxPaymentAttempts", b -> b.maxPaymentAttempts(2)),
        setter("listener", b -> b.listener(new PaymentListener() {})),
        setter("transportRetry", b -> b.transportRetry(TransportRetry.NONE)),
        setter("acceptPayment", b -> b.acceptPayment(AcceptPaymentMode.NEVER)),
        setter("returnUnpaidResponses", b -> b.returnUnpaidResponses(true)),
        setter("executor", b -> b.executor(DIRECT)),
        setter("maxBufferedBody", b -> b.maxBufferedBody(0)));
  }

  static Arguments setter(String name, Consumer<PaymentOptions.Configurer<?>> call) {
    return Arguments.of(name, call);
  }

  @ParameterizedTest
  @MethodSource("setters")
  void everySetterMayBeCalledOnce(String name, Consumer<PaymentOptions.Configurer<?>> call) {
    PaymentOptions.Builder builder = PaymentOptions.builder();
    call.accept(builder);

    assertThatThrownBy(() -> call.accept(builder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(name + " was already set");
  }

  @ParameterizedTest
  @MethodSource("setters")
  void theFlowBuilderSharesTheRule(String name, Consumer<PaymentOptions.Configurer<?>> call) {
    PaymentFlow.Builder builder = PaymentFlow.builder(new FakePayer());
    call.accept(builder);

    assertThatThrownBy(() -> call.accept(builder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(name);
  }

  @ParameterizedTest
  @MethodSource("setters")
  void noSetterFollowsOptions(String name, Consumer<PaymentOptions.Configurer<?>> call) {
    PaymentOptions.Builder builder = PaymentOptions.builder().options(PaymentOptions.defaults());

    assertThatThrownBy(() -> call.accept(builder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(name + " was already set");
  }

  @Test
  void optionsMayNotReplaceAChoiceAlreadyMade() {
    PaymentOptions.Builder builder = PaymentOptions.builder().agent("bot");

    assertThatThrownBy(() -> builder.options(PaymentOptions.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("options(PaymentOptions)")
        .hasMessageContaining("agent");
  }

  @Test
  void aRejectedValueDoesNotUseUpTheSetter() {
    PaymentOptions.Builder builder = PaymentOptions.builder();
    assertThatThrownBy(() -> builder.maxPaymentAttempts(3))
        .isInstanceOf(ConfigurationException.class);

    assertThat(builder.maxPaymentAttempts(2).build().maxPaymentAttempts()).isEqualTo(2);
  }

  @Test
  void valuesAreValidatedWhenSet() {
    assertThatThrownBy(() -> PaymentOptions.builder().agent(" "))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> PaymentOptions.builder().clockSkew(Duration.ofSeconds(-1)))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> PaymentOptions.builder().maxBufferedBody(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PaymentOptions.builder().listener(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void defaults() {
    PaymentOptions options = PaymentOptions.defaults();

    assertThat(options.agent()).isEqualTo("default");
    assertThat(options.clockSkew()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.allowInsecureHttp()).isFalse();
    assertThat(options.maxPaymentAttempts()).isEqualTo(1);
    assertThat(options.transportRetry()).isSameAs(TransportRetry.NONE);
    assertThat(options.acceptPayment()).isEqualTo(AcceptPaymentMode.KNOWN_ORIGINS);
    assertThat(options.returnUnpaidResponses()).isFalse();
    assertThat(options.executor()).isNotNull();
    assertThat(options.maxBufferedBody()).isEqualTo(PaymentOptions.DEFAULT_MAX_BUFFERED_BODY);
  }

  @Test
  void aFlowBuiltFromOptionsPaysByThem() {
    PaymentOptions options =
        PaymentOptions.builder().agent("bot-7").executor(DIRECT).maxBufferedBody(16).build();

    PaymentFlow flow = PaymentFlow.create(new FakePayer(), options);

    assertThat(flow.options()).isSameAs(options);
    assertThat(flow.agent()).isEqualTo("bot-7");
    assertThat(flow.executor()).isSameAs(DIRECT);
    PaymentOptions copied = PaymentFlow.builder(new FakePayer()).options(options).build().options();
    assertThat(copied.agent()).isEqualTo("bot-7");
    assertThat(copied.executor()).isSameAs(DIRECT);
    assertThat(copied.maxBufferedBody()).isEqualTo(16);
  }
}
