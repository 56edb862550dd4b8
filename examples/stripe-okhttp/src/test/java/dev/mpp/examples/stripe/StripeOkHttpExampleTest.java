package dev.mpp.examples.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.rail.stripe.StripeRail;
import dev.mpp.rail.stripe.StripeSecretKey;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the example against a loopback paywall that offers {@code stripe/charge} and a loopback
 * stand-in for Stripe's token API: one token minted, one credential sent, one record paid.
 */
class StripeOkHttpExampleTest {
  private static final String SECRET = "sk_test_example0123456789abcdef";

  private final MockWebServer stripe = new MockWebServer();
  private final MockWebServer paywall = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    stripe.start(InetAddress.getLoopbackAddress(), 0);
    paywall.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() {
    stripe.close();
    paywall.close();
  }

  @Test
  void paysTheStripeOfferOnceAndReturnsTheResource() throws Exception {
    Challenge challenge =
        Challenge.builder()
            .id("ch_example")
            .realm("127.0.0.1")
            .method("stripe")
            .intent("charge")
            .request(
                base64Url(
                    "{\"amount\":\"25\",\"currency\":\"usd\",\"methodDetails\":"
                        + "{\"networkId\":\"profile_seller\",\"paymentMethodTypes\":[\"card\"]}}"))
            .expires(Instant.now().plusSeconds(300))
            .build();
    paywall.enqueue(
        new MockResponse.Builder()
            .code(402)
            .addHeader("WWW-Authenticate", challenge.toHeaderValue())
            .body("payment required")
            .build());
    paywall.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader(
                "Payment-Receipt",
                base64Url(
                    "{\"status\":\"success\",\"method\":\"stripe\",\"reference\":\"pi_example\","
                        + "\"timestamp\":\""
                        + Instant.now()
                        + "\"}"))
            .body("the goods")
            .build());
    stripe.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body(
                "{\"id\":\"spt_test_example\",\"object\":\"shared_payment.granted_token\","
                    + "\"status\":\"active\",\"livemode\":false}")
            .build());
    StripeRail rail =
        StripeRail.builder()
            .secretKey(StripeSecretKey.of(SECRET))
            .paymentMethod("pm_card_visa")
            .currencies("usd")
            .apiBase(URI.create("http://127.0.0.1:" + stripe.getPort()))
            .build();

    Optional<PaymentRecord> paid =
        StripeOkHttpExample.fetch(paywall.url("/goods").toString(), rail);

    assertThat(paid).isPresent();
    assertThat(paid.get().state()).isEqualTo(PaymentState.PAID);
    assertThat(paid.get().method()).isEqualTo("stripe");
    assertThat(paid.get().usd()).isEqualByComparingTo(new BigDecimal("0.25"));
    assertThat(paid.get().reference()).isEqualTo("pi_example");
    assertThat(stripe.getRequestCount()).isEqualTo(1);
    RecordedRequest token = stripe.takeRequest();
    assertThat(token.getHeaders().get("Authorization")).isEqualTo("Bearer " + SECRET);
    assertThat(paywall.getRequestCount()).isEqualTo(2);
    assertThat(paywall.takeRequest().getHeaders().get("Authorization")).isNull();
    assertThat(paywall.takeRequest().getHeaders().get("Authorization")).startsWith("Payment ");
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
