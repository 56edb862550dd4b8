package dev.mpp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PaymentContextTest {
  @ParameterizedTest
  @CsvSource({
    "get, true",
    "HEAD, true",
    "OPTIONS, true",
    "TRACE, true",
    "PUT, true",
    "DELETE, true",
    "POST, false",
    "PATCH, false",
    "PROPFIND, false"
  })
  void idempotencyFollowsRfc9110(String method, boolean idempotent) {
    PaymentContext context = PaymentContext.of(URI.create("https://127.0.0.1/x"), method, "a");

    assertThat(context.idempotent()).isEqualTo(idempotent);
    assertThat(context.httpMethod()).isEqualTo(method.toUpperCase(java.util.Locale.ROOT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/relative", "mailto:someone", "urn:isbn:1"})
  void theUrlMustBeAbsoluteWithAHost(String url) {
    assertThatThrownBy(() -> PaymentContext.of(URI.create(url), "GET", "a"))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void toStringOmitsQueryAndBody() {
    PaymentContext context =
        new PaymentContext(
            URI.create("https://127.0.0.1/pay?token=secret"),
            "POST",
            "a",
            "{\"card\":\"4242\"}".getBytes(StandardCharsets.UTF_8),
            true,
            null);

    assertThat(context.toString())
        .isEqualTo("PaymentContext[POST https://127.0.0.1:443/pay]")
        .doesNotContain("secret")
        .doesNotContain("4242");
    assertThat(context.origin()).isEqualTo("https://127.0.0.1:443");
    assertThat(context.bodyBytes()).isPresent();
  }

  @Test
  void recordsConvertAmountsAndReadTheirReceipt() {
    PaymentRecord held =
        new PaymentRecord(
            "p1",
            "a",
            null,
            Instant.EPOCH,
            Instant.EPOCH,
            "u",
            "o",
            "r",
            "tempo",
            "charge",
            "c1",
            BigInteger.valueOf(1_500_000),
            "0x20c0",
            42431L,
            6,
            1_500_000,
            1_000,
            PaymentState.HELD,
            null,
            null,
            "cheapest",
            null);

    PaymentRecord paid =
        held.withState(
            PaymentState.PAID,
            "0x1234",
            Fixtures.receipt("0x1234"),
            null,
            Instant.ofEpochSecond(5));

    assertThat(held.units()).isEqualByComparingTo(new BigDecimal("1.5"));
    assertThat(held.usd()).isEqualByComparingTo(new BigDecimal("1.5"));
    assertThat(held.receipt()).isEmpty();
    assertThat(held.fleetName()).isEmpty();
    assertThat(paid.receipt().orElseThrow().reference()).isEqualTo("0x1234");
    assertThat(paid.updatedAt()).isEqualTo(Instant.ofEpochSecond(5));
    assertThat(paid.createdAt()).isEqualTo(Instant.EPOCH);
    assertThat(
            held.withState(PaymentState.UNKNOWN, null, "not-a-receipt", "x", Instant.EPOCH)
                .receipt())
        .isEmpty();
    assertThatThrownBy(() -> held.withState(PaymentState.PAID, null, null, null, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void statesCountUntilReleased() {
    assertThat(PaymentState.HELD.counts()).isTrue();
    assertThat(PaymentState.UNKNOWN.counts()).isTrue();
    assertThat(PaymentState.PAID.counts()).isTrue();
    assertThat(PaymentState.RELEASED.counts()).isFalse();
    assertThat(PaymentState.UNKNOWN.isFinal()).isFalse();
    assertThat(PaymentState.PAID.isFinal()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "https://user:pw@API.Example.com/a/b?key=secret#frag, https://api.example.com/a/b, api.example.com",
    "http://127.0.0.1:8402?token=x, http://127.0.0.1:8402/, 127.0.0.1",
    "https://[::1]:9000/p%20q, https://[::1]:9000/p%20q, ::1"
  })
  void recordsTheUrlWithoutSecretsAndMatchesTheBareHost(String url, String safe, String host) {
    PaymentContext context = PaymentContext.of(URI.create(url), "GET", "bot");

    assertThat(context.safeUrl()).isEqualTo(safe);
    assertThat(context.host()).isEqualTo(host);
  }
}
