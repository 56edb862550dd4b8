package dev.mpp.rail.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Money;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.RailPayment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Stripe rail against a local fake of Stripe's API. */
class StripeRailTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LIVE_KEY = "sk_live_51AbCdEfGhIjKlMnOpQrStUvWx0123456789";
  private static final String TEST_KEY = "sk_test_51ZyXwVuTsRqPoNmLkJiHgFeDc9876543210";
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final String EXPIRES = "2026-03-01T10:05:00Z";
  private static final Asset USD = new Asset("stripe", "usd", null, 2);
  private static final PaymentContext CONTEXT =
      PaymentContext.of(URI.create("https://api.example.com/paid"), "GET", "bot-1");

  private MockWebServer stripe;

  @BeforeEach
  void startFakeStripe() throws Exception {
    stripe = new MockWebServer();
    stripe.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopFakeStripe() {
    stripe.close();
  }

  private StripeRail.Builder rail(String key) {
    return rail(key, 0);
  }

  private StripeRail.Builder rail(String key, int maxNetworkRetries) {
    return StripeRail.builder()
        .secretKey(StripeSecretKey.of(key))
        .paymentMethod("pm_1Saved")
        .currencies("usd", "eur")
        .apiBase(URI.create("http://127.0.0.1:" + stripe.getPort()))
        .maxNetworkRetries(maxNetworkRetries)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static ObjectNode request() {
    ObjectNode request = JSON.createObjectNode();
    request.put("amount", "5000");
    request.put("currency", "usd");
    ObjectNode details = request.putObject("methodDetails");
    details.put("networkId", "profile_1MqDcVKA5fEO2tZvKQm9g8Yj");
    details.putArray("paymentMethodTypes").add("card").add("link");
    return request;
  }

  private static Challenge challenge(ObjectNode request, String id, String expires) {
    return challenge(request, "stripe", "charge", id, expires);
  }

  private static Challenge challenge(
      ObjectNode request, String method, String intent, String id, String expires) {
    return Challenge.builder()
        .id(id)
        .realm("api.example.com")
        .method(method)
        .intent(intent)
        .request(PaymentRequest.of(request).raw())
        .expires(expires)
        .build();
  }

  private static MockResponse token(String id) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .addHeader("Request-Id", "req_ok")
        .body("{\"id\":\"" + id + "\",\"object\":\"shared_payment.issued_token\"}")
        .build();
  }

  private static MockResponse error(int status, String body) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "application/json")
        .addHeader("Request-Id", "req_err")
        .body(body)
        .build();
  }

  private static Map<String, String> form(RecordedRequest recorded) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : recorded.getBody().utf8().split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      assertThat(fields.put(name, value)).as("field %s sent once", name).isNull();
    }
    return fields;
  }

  private RecordedRequest taken() throws InterruptedException {
    RecordedRequest recorded = stripe.takeRequest(5, TimeUnit.SECONDS);
    assertThat(recorded).as("request reached the fake Stripe").isNotNull();
    return recorded;
  }

  @Test
  void quotesTheAmountAndNoFeeByDefault() {
    Quote quote = rail(LIVE_KEY).build().quote(challenge(request(), "ch_1", EXPIRES));

    assertThat(quote)
        .isEqualTo(Quote.payable(new Money(BigInteger.valueOf(5000), USD), Money.zero(USD)));
    assertThat(stripe.getRequestCount()).isZero();
  }

  @Test
  void quotesTheConfiguredCardFee() {
    StripeRail rail =
        rail(LIVE_KEY).fees(StripeFees.percentPlusFixed(new BigDecimal("2.9"), 30)).build();

    Quote quote = rail.quote(challenge(request(), "ch_1", EXPIRES));

    // 2.9% of 5000 is 145, plus 30.
    assertThat(((Quote.Payable) quote).fee()).isEqualTo(new Money(BigInteger.valueOf(175), USD));
  }

  @Test
  void zeroDecimalCurrenciesAreCountedInWholeUnits() {
    ObjectNode request = request().put("currency", "jpy").put("amount", "500");
    StripeRail rail = rail(LIVE_KEY).currencies("jpy").build();

    Quote quote = rail.quote(challenge(request, "ch_1", EXPIRES));

    Money amount = ((Quote.Payable) quote).amount();
    assertThat(amount.asset()).isEqualTo(new Asset("stripe", "jpy", null, 0));
    assertThat(amount.toDecimal()).isEqualByComparingTo("500");
  }

  static Stream<Arguments> unpayable() {
    return Stream.of(
        Arguments.of("other method", (Consumer<ObjectNode>) r -> {}, "tempo", "charge", "method"),
        Arguments.of("other intent", (Consumer<ObjectNode>) r -> {}, "stripe", "session", "intent"),
        Arguments.of(
            "no amount",
            (Consumer<ObjectNode>) r -> r.remove("amount"),
            "stripe",
            "charge",
            "amount"),
        Arguments.of(
            "zero amount",
            (Consumer<ObjectNode>) r -> r.put("amount", "0"),
            "stripe",
            "charge",
            "zero"),
        Arguments.of(
            "currency not allowed",
            (Consumer<ObjectNode>) r -> r.put("currency", "gbp"),
            "stripe",
            "charge",
            "gbp"),
        Arguments.of(
            "currency not ISO",
            (Consumer<ObjectNode>) r -> r.put("currency", "usdc"),
            "stripe",
            "charge",
            "ISO"),
        Arguments.of(
            "no networkId",
            (Consumer<ObjectNode>) r -> ((ObjectNode) r.get("methodDetails")).remove("networkId"),
            "stripe",
            "charge",
            "networkId"),
        Arguments.of(
            "no paymentMethodTypes",
            (Consumer<ObjectNode>)
                r -> ((ObjectNode) r.get("methodDetails")).remove("paymentMethodTypes"),
            "stripe",
            "charge",
            "paymentMethodTypes"),
        Arguments.of(
            "card not accepted",
            (Consumer<ObjectNode>)
                r ->
                    ((ObjectNode) r.get("methodDetails"))
                        .putArray("paymentMethodTypes")
                        .add("link"),
            "stripe",
            "charge",
            "card"),
        Arguments.of(
            "metadata not strings",
            (Consumer<ObjectNode>)
                r -> ((ObjectNode) r.get("methodDetails")).putObject("metadata").put("n", 1),
            "stripe",
            "charge",
            "metadata"),
        Arguments.of(
            "reserved metadata key",
            (Consumer<ObjectNode>)
                r ->
                    ((ObjectNode) r.get("methodDetails"))
                        .putObject("metadata")
                        .put("externalId", "x"),
            "stripe",
            "charge",
            "reserved"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unpayable")
  void unpayableChallengesAreUnsupportedAndNeverReachStripe(
      String name, Consumer<ObjectNode> edit, String method, String intent, String reason) {
    ObjectNode request = request();
    edit.accept(request);
    Challenge challenge = challenge(request, method, intent, "ch_1", EXPIRES);
    StripeRail rail = rail(LIVE_KEY).build();

    Quote quote = rail.quote(challenge);

    assertThat(quote).isInstanceOf(Quote.Unsupported.class);
    assertThat(((Quote.Unsupported) quote).reason()).contains(reason);
    assertThatThrownBy(() -> rail.pay(challenge, CONTEXT))
        .isInstanceOfSatisfying(
            PaymentRefusedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_REQUEST))
        .hasMessageContaining(reason);
    assertThat(stripe.getRequestCount()).isZero();
  }

  @Test
  void liveKeyIssuesATokenLimitedToTheChallenge() throws Exception {
    ObjectNode request = request().put("externalId", "order_12345");
    ((ObjectNode) request.get("methodDetails")).putObject("metadata").put("plan", "pro");
    Challenge challenge = challenge(request, "ch_live", EXPIRES);
    stripe.enqueue(token("spt_1N4Zv32eZvKYlo2CPhVPkJlW"));

    RailPayment payment = rail(LIVE_KEY).build().pay(challenge, CONTEXT);

    assertThat(payment.payload())
        .isEqualTo(
            JSON.createObjectNode()
                .put("spt", "spt_1N4Zv32eZvKYlo2CPhVPkJlW")
                .put("externalId", "order_12345"));
    assertThat(payment.sourceDid()).isEmpty();
    assertThat(payment.preSettlementReference()).isEmpty();

    RecordedRequest sent = taken();
    assertThat(sent.getMethod()).isEqualTo("POST");
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/shared_payment/issued_tokens");
    assertThat(sent.getHeaders().values("Authorization")).containsExactly("Bearer " + LIVE_KEY);
    assertThat(sent.getHeaders().values("Stripe-Version")).containsExactly("2026-07-29.preview");
    assertThat(sent.getHeaders().values("Idempotency-Key"))
        .containsExactly(StripeRail.idempotencyKey(challenge));
    assertThat(sent.getHeaders().get("Content-Type"))
        .startsWith("application/x-www-form-urlencoded");
    assertThat(form(sent))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "payment_method", "pm_1Saved",
                "usage_limits[currency]", "usd",
                "usage_limits[max_amount]", "5000",
                "usage_limits[expires_at]", Long.toString(Instant.parse(EXPIRES).getEpochSecond()),
                "seller_details[network_business_profile]", "profile_1MqDcVKA5fEO2tZvKQm9g8Yj",
                "metadata[plan]", "pro"));
  }

  @Test
  void testKeyUsesTheTestHelperAndDefaultsTheExpiryToOneHour() throws Exception {
    Challenge challenge = challenge(request(), "ch_test", null);
    stripe.enqueue(token("spt_test_123"));

    RailPayment payment = rail(TEST_KEY).build().pay(challenge, CONTEXT);

    assertThat(payment.payload()).isEqualTo(JSON.createObjectNode().put("spt", "spt_test_123"));
    RecordedRequest sent = taken();
    assertThat(sent.getUrl().encodedPath())
        .isEqualTo("/v1/test_helpers/shared_payment/granted_tokens");
    assertThat(form(sent))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "payment_method", "pm_1Saved",
                "usage_limits[currency]", "usd",
                "usage_limits[max_amount]", "5000",
                "usage_limits[expires_at]", Long.toString(NOW.getEpochSecond() + 3600),
                "seller_details[network_id]", "profile_1MqDcVKA5fEO2tZvKQm9g8Yj"));
  }

  @Test
  void idempotencyKeyIsStablePerChallengeAndDistinctAcrossChallenges() throws Exception {
    StripeRail rail = rail(LIVE_KEY).build();
    Challenge first = challenge(request(), "ch_A", EXPIRES);
    Challenge other = challenge(request(), "ch_B", EXPIRES);
    Challenge otherRealm = first.toBuilder().realm("other.example.com").build();
    for (int i = 0; i < 3; i++) {
      stripe.enqueue(token("spt_same"));
    }

    rail.pay(first, CONTEXT);
    rail.pay(first, CONTEXT);
    rail.pay(other, CONTEXT);

    String k1 = taken().getHeaders().get("Idempotency-Key");
    String k2 = taken().getHeaders().get("Idempotency-Key");
    String k3 = taken().getHeaders().get("Idempotency-Key");
    assertThat(k1).isEqualTo(k2).isEqualTo(StripeRail.idempotencyKey(first)).startsWith("mpp-spt-");
    assertThat(k3).isNotEqualTo(k1);
    assertThat(StripeRail.idempotencyKey(otherRealm)).isNotEqualTo(k1);
  }

  @Test
  void retriedCreationReusesTheIdempotencyKey() throws Exception {
    Challenge challenge = challenge(request(), "ch_retry", EXPIRES);
    stripe.enqueue(
        error(503, "{\"error\":{\"type\":\"api_error\",\"message\":\"try again\"}}")
            .newBuilder()
            .addHeader("Stripe-Should-Retry", "true")
            .build());
    stripe.enqueue(token("spt_after_retry"));

    RailPayment payment = rail(LIVE_KEY, 1).build().pay(challenge, CONTEXT);

    assertThat(payment.payload().get("spt").asText()).isEqualTo("spt_after_retry");
    String first = taken().getHeaders().get("Idempotency-Key");
    String second = taken().getHeaders().get("Idempotency-Key");
    assertThat(first).isEqualTo(second).isEqualTo(StripeRail.idempotencyKey(challenge));
  }

  static Stream<Arguments> stripeErrors() {
    return Stream.of(
        Arguments.of(
            402,
            "{\"error\":{\"type\":\"card_error\",\"code\":\"card_declined\","
                + "\"decline_code\":\"insufficient_funds\","
                + "\"message\":\"Your card has insufficient funds.\"}}",
            "card_declined",
            "card_error",
            "insufficient_funds"),
        Arguments.of(
            429,
            "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"rate_limit\","
                + "\"message\":\"Too many requests hit the API too quickly.\"}}",
            "rate_limit",
            "invalid_request_error",
            null),
        Arguments.of(
            401,
            "{\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"Invalid API Key provided: sk_live_****************6789\"}}",
            "authentication_error",
            "invalid_request_error",
            null),
        // A server that echoes the whole key must not make it leak either.
        Arguments.of(
            401,
            "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"api_key_expired\","
                + "\"message\":\"Expired API Key provided: "
                + LIVE_KEY
                + "\"}}",
            "api_key_expired",
            "invalid_request_error",
            null));
  }

  @ParameterizedTest(name = "HTTP {0} {2}")
  @MethodSource("stripeErrors")
  void stripeErrorsBecomeTypedFailuresWithoutTheKey(
      int status, String body, String code, String type, String declineCode) {
    stripe.enqueue(error(status, body));
    StripeRail rail = rail(LIVE_KEY).build();
    Challenge challenge = challenge(request(), "ch_err", EXPIRES);

    String logged =
        capturingStderr(
            () ->
                assertThatThrownBy(() -> rail.pay(challenge, CONTEXT))
                    .isInstanceOfSatisfying(
                        PaymentFailedException.class,
                        e -> {
                          assertThat(e.code()).isEqualTo(ErrorCode.RAIL_FAILED);
                          assertThat(e.getMessage()).contains(code);
                          StripeApiError error = StripeApiError.in(e).orElseThrow();
                          assertThat(error.code()).isEqualTo(code);
                          assertThat(error.type()).isEqualTo(type);
                          assertThat(error.declineCode())
                              .isEqualTo(java.util.Optional.ofNullable(declineCode));
                          assertThat(error.httpStatus()).contains(status);
                          assertThat(error.requestId()).contains("req_err");
                          assertThat(stackTrace(e)).doesNotContain(LIVE_KEY).doesNotContain("6789");
                        }));
    assertThat(logged).contains("ch_err").doesNotContain(LIVE_KEY).doesNotContain("6789");
  }

  @Test
  void unreachableStripeIsARailFailure() {
    StripeRail rail = rail(LIVE_KEY).build();
    stripe.close();

    assertThatThrownBy(() -> rail.pay(challenge(request(), "ch_down", EXPIRES), CONTEXT))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.RAIL_FAILED);
              assertThat(StripeApiError.in(e).orElseThrow().code())
                  .isEqualTo("api_connection_error");
              assertThat(StripeApiError.in(e).orElseThrow().httpStatus()).isEmpty();
              assertThat(stackTrace(e)).doesNotContain(LIVE_KEY);
            });
  }

  @Test
  void tokenNeedingCustomerActionIsAFailure() {
    stripe.enqueue(
        error(
            200,
            "{\"id\":\"spt_sca\",\"status\":\"requires_action\","
                + "\"next_action\":{\"type\":\"use_stripe_sdk\"}}"));

    assertThatThrownBy(
            () -> rail(LIVE_KEY).build().pay(challenge(request(), "ch_sca", EXPIRES), CONTEXT))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.RAIL_FAILED);
              assertThat(StripeApiError.in(e).orElseThrow().code()).isEqualTo("requires_action");
            });
  }

  @Test
  void responseWithoutATokenIsAFailure() {
    stripe.enqueue(error(200, "{\"id\":\"pi_not_a_token\"}"));

    assertThatThrownBy(
            () -> rail(LIVE_KEY).build().pay(challenge(request(), "ch_bad", EXPIRES), CONTEXT))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.RAIL_FAILED));
  }

  @Test
  void successfulPaymentLogsNeitherKeyNorToken() {
    stripe.enqueue(token("spt_secret_token_value"));
    StripeRail rail = rail(LIVE_KEY).build();

    String logged =
        capturingStderr(() -> rail.pay(challenge(request(), "ch_logged", EXPIRES), CONTEXT));

    assertThat(logged)
        .as("debug logging is on in tests")
        .contains("ch_logged")
        .doesNotContain(LIVE_KEY)
        .doesNotContain("spt_secret_token_value");
  }

  @Test
  void toStringsNeverShowTheKey() {
    StripeSecretKey key = StripeSecretKey.of(LIVE_KEY);
    StripeRail.Builder builder = rail(LIVE_KEY);

    assertThat(key.toString()).doesNotContain("sk_live_").contains("live");
    assertThat(StripeSecretKey.of(TEST_KEY).toString()).contains("test");
    assertThat(builder.toString()).doesNotContain(LIVE_KEY).doesNotContain("51Ab");
    assertThat(builder.build().toString()).doesNotContain(LIVE_KEY).doesNotContain("51Ab");
  }

  @Test
  void secretKeysAreValidatedWithoutEchoingThem() {
    assertThatThrownBy(() -> StripeSecretKey.of("pk_live_abcdef123456"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("publishable")
        .hasMessageNotContaining("abcdef123456");
    assertThatThrownBy(() -> StripeSecretKey.of("whsec_abcdef123456"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageNotContaining("abcdef123456");
    assertThatThrownBy(() -> StripeSecretKey.of("sk_live_abc def"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageNotContaining("abc def");
    assertThat(StripeSecretKey.of("rk_test_restricted1").testMode()).isTrue();
    assertThat(StripeSecretKey.of(LIVE_KEY).testMode()).isFalse();
  }

  @Test
  void builderRefusesIncompleteOrUnsafeConfiguration() {
    assertThatThrownBy(() -> StripeRail.builder().paymentMethod("pm_1").currencies("usd").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("secretKey");
    assertThatThrownBy(
            () ->
                StripeRail.builder()
                    .secretKey(StripeSecretKey.of(LIVE_KEY))
                    .paymentMethod("pm_1")
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("currency");
    assertThatThrownBy(() -> StripeRail.builder().apiBase(URI.create("http://stripe.example")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("https");
    assertThatThrownBy(() -> StripeRail.builder().apiBase(URI.create("https://h/v1")))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> StripeRail.builder().currencies("usdc"))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void percentFeesRoundUpToTheNextMinorUnit() {
    StripeFees fees = StripeFees.percentPlusFixed(new BigDecimal("2.9"), 30);

    assertThat(fees.estimate(new Money(BigInteger.ONE, USD)).units()).isEqualTo(31);
    assertThat(fees.estimate(new Money(BigInteger.valueOf(1000), USD)).units()).isEqualTo(59);
    assertThat(StripeFees.none().estimate(new Money(BigInteger.TEN, USD)))
        .isEqualTo(Money.zero(USD));
    assertThatThrownBy(() -> StripeFees.percentPlusFixed(new BigDecimal("-1"), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out + " " + t;
  }

  private static String capturingStderr(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
