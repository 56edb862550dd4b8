package dev.mpp.rail.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeError;
import com.stripe.net.ApiResource;
import com.stripe.net.FormEncoder;
import com.stripe.net.RawRequestOptions;
import com.stripe.net.StripeResponse;
import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.SetOnce;
import dev.mpp.client.wire.Challenge;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Money;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.RailPayment;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays {@code stripe/charge} challenges with a Shared Payment Token (SPT) minted from the agent's
 * own Stripe account and saved payment method, as the reference client does: {@code POST
 * /v1/shared_payment/issued_tokens} limited to the challenge's currency, amount (never more) and
 * expiry, and to the seller's Stripe profile. Test-mode keys use Stripe's test helper {@code POST
 * /v1/test_helpers/shared_payment/granted_tokens}.
 *
 * <p>Token creation goes through stripe-java's raw-request support, so authentication, network
 * retries and error types come from the library; the idempotency key is derived from the challenge,
 * so retrying one challenge can never mint a second token. A failed creation is a {@link
 * PaymentFailedException} ({@code RAIL_FAILED}) whose cause is a {@link StripeApiError} carrying
 * Stripe's error code: no money can have moved, and the wallet releases the reservation.
 *
 * <p>Thread-safe. The secret key never appears in {@link #toString()}, logs or exception messages.
 */
public final class StripeRail implements Rail {
  /** The payment method this rail pays. */
  public static final String METHOD = "stripe";

  /** The only intent this rail pays. */
  public static final String INTENT = "charge";

  /** Stripe's API. */
  public static final URI DEFAULT_API_BASE = URI.create("https://api.stripe.com");

  /** The preview API version the Shared Payment Token endpoints need. */
  public static final String SPT_API_VERSION = "2026-07-29.preview";

  static final String ISSUED_TOKENS_PATH = "/v1/shared_payment/issued_tokens";
  static final String TEST_GRANTED_TOKENS_PATH = "/v1/test_helpers/shared_payment/granted_tokens";

  private static final Logger log = LoggerFactory.getLogger(StripeRail.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KEY_LIKE =
      Pattern.compile("\\b(sk|rk|pk)_(test|live)_[A-Za-z0-9*_]+");
  private static final int MAX_METADATA_KEYS = 50;
  private static final int MAX_METADATA_KEY_LENGTH = 40;
  private static final int MAX_METADATA_VALUE_LENGTH = 500;
  private static final int MAX_NETWORK_ID_LENGTH = 255;

  private final StripeSecretKey secretKey;
  private final String paymentMethod;
  private final String paymentMethodType;
  private final Set<String> currencies;
  private final StripeFees fees;
  private final Duration defaultTokenLifetime;
  private final Clock clock;
  private final StripeClient client;

  private StripeRail(Builder b) {
    this.secretKey = require(b.secretKey, "secretKey");
    this.paymentMethod = require(b.paymentMethod, "paymentMethod");
    this.paymentMethodType = b.paymentMethodType;
    if (b.currencies.isEmpty()) {
      throw invalid("at least one currency must be allowed");
    }
    this.currencies = Collections.unmodifiableSet(new TreeSet<>(b.currencies));
    this.fees = b.fees;
    this.defaultTokenLifetime = b.defaultTokenLifetime;
    this.clock = b.clock;
    this.client =
        StripeClient.builder()
            .setApiKey(secretKey.reveal())
            .setApiBase(b.apiBase)
            .setMaxNetworkRetries(b.maxNetworkRetries)
            .setConnectTimeout(Math.toIntExact(b.connectTimeout.toMillis()))
            .setReadTimeout(Math.toIntExact(b.readTimeout.toMillis()))
            .build();
  }

  private static <T> T require(T value, String name) {
    if (value == null) {
      throw invalid("Stripe rail needs " + name);
    }
    return value;
  }

  private static ConfigurationException invalid(String message) {
    return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, message);
  }

  /** Starts configuring a Stripe rail. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public List<String> intents() {
    return List.of(INTENT);
  }

  /** The currencies this rail pays in (lower-case ISO codes). */
  public Set<String> currencies() {
    return currencies;
  }

  @Override
  public Quote quote(Challenge challenge) {
    try {
      Terms terms = check(challenge);
      return Quote.payable(terms.amount(), fees.estimate(terms.amount()));
    } catch (Unpayable e) {
      return Quote.unsupported(e.getMessage());
    } catch (RuntimeException e) {
      // A fee model that throws must not turn "cannot price" into a crash of the whole choice.
      log.warn("Stripe quote failed for challenge {}: {}", challenge.id(), e.toString());
      return Quote.unsupported("stripe quote failed: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public RailPayment pay(Challenge challenge, PaymentContext context) {
    Terms terms;
    try {
      terms = check(challenge);
    } catch (Unpayable e) {
      throw new PaymentRefusedException(ErrorCode.UNSUPPORTED_REQUEST, e.getMessage());
    }
    String path = secretKey.testMode() ? TEST_GRANTED_TOKENS_PATH : ISSUED_TOKENS_PATH;
    String form = FormEncoder.createQueryString(tokenParams(challenge, terms));
    RawRequestOptions options =
        RawRequestOptions.builder()
            .setIdempotencyKey(idempotencyKey(challenge))
            .setAdditionalHeaders(Map.of("Stripe-Version", SPT_API_VERSION))
            .build();
    StripeResponse response;
    try {
      response = client.rawRequest(ApiResource.RequestMethod.POST, path, form, options);
    } catch (StripeException e) {
      StripeApiError error = translate(e);
      log.warn(
          "Stripe refused a shared payment token for challenge {}: {}",
          challenge.id(),
          error.getMessage());
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED,
          "Stripe could not create a shared payment token: " + error.getMessage(),
          error);
    }
    String spt = tokenId(response);
    log.debug(
        "Created a shared payment token for challenge {} ({}; Stripe request {})",
        challenge.id(),
        terms.amount(),
        response.requestId());
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("spt", spt);
    challenge.request().externalId().ifPresent(id -> payload.put("externalId", id));
    return new RailPayment(payload, null, null);
  }

  /** The checked terms of a payable challenge. */
  private record Terms(
      Money amount, String currency, String networkId, Map<String, String> metadata) {}

  private Terms check(Challenge challenge) throws Unpayable {
    if (!METHOD.equals(challenge.method())) {
      throw new Unpayable("method " + challenge.method() + " is not " + METHOD);
    }
    if (!INTENT.equals(challenge.intent())) {
      throw new Unpayable("stripe rail does not pay intent " + challenge.intent());
    }
    var request = challenge.request();
    BigInteger amount =
        request.amount().orElseThrow(() -> new Unpayable("stripe request has no amount"));
    if (amount.signum() == 0) {
      throw new Unpayable("stripe request amount is zero");
    }
    if (amount.bitLength() > 63) {
      throw new Unpayable("stripe request amount is out of range");
    }
    String currency =
        request
            .currency()
            .orElseThrow(() -> new Unpayable("stripe request has no currency"))
            .toLowerCase(Locale.ROOT);
    if (!StripeCurrencies.isIsoCode(currency)) {
      throw new Unpayable("stripe currency must be a three-letter ISO code");
    }
    if (!currencies.contains(currency)) {
      throw new Unpayable("currency " + currency + " is not allowed for stripe");
    }
    JsonNode details = request.methodDetails();
    JsonNode networkId = details.path("networkId");
    if (!networkId.isTextual()
        || networkId.textValue().isBlank()
        || networkId.textValue().length() > MAX_NETWORK_ID_LENGTH) {
      throw new Unpayable("stripe request has no valid methodDetails.networkId");
    }
    JsonNode types = details.path("paymentMethodTypes");
    if (!types.isArray() || types.isEmpty()) {
      throw new Unpayable("stripe request has no methodDetails.paymentMethodTypes");
    }
    boolean offered = false;
    for (JsonNode type : types) {
      if (!type.isTextual()) {
        throw new Unpayable("stripe paymentMethodTypes must be strings");
      }
      offered |= type.textValue().equals(paymentMethodType);
    }
    if (!offered) {
      throw new Unpayable("seller does not accept payment method type " + paymentMethodType);
    }
    Asset asset = new Asset(METHOD, currency, null, StripeCurrencies.decimals(currency));
    return new Terms(new Money(amount, asset), currency, networkId.textValue(), metadata(details));
  }

  private static Map<String, String> metadata(JsonNode details) throws Unpayable {
    JsonNode node = details.path("metadata");
    if (node.isMissingNode() || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new Unpayable("stripe methodDetails.metadata must be an object");
    }
    if (node.size() > MAX_METADATA_KEYS) {
      throw new Unpayable("stripe metadata has more than " + MAX_METADATA_KEYS + " keys");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      // The reference client reserves this key for the credential's own externalId.
      if (e.getKey().equals("externalId")) {
        throw new Unpayable("stripe metadata.externalId is reserved");
      }
      if (!e.getValue().isTextual()) {
        throw new Unpayable("stripe metadata values must be strings");
      }
      if (e.getKey().isEmpty()
          || e.getKey().length() > MAX_METADATA_KEY_LENGTH
          || e.getValue().textValue().length() > MAX_METADATA_VALUE_LENGTH) {
        throw new Unpayable("stripe metadata exceeds Stripe's key or value length limits");
      }
      metadata.put(e.getKey(), e.getValue().textValue());
    }
    return metadata;
  }

  private Map<String, Object> tokenParams(Challenge challenge, Terms terms) {
    Instant expires =
        challenge.expires().orElseGet(() -> clock.instant().plus(defaultTokenLifetime));
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("currency", terms.currency());
    limits.put("max_amount", terms.amount().units().toString());
    limits.put("expires_at", Long.toString(expires.getEpochSecond()));
    Map<String, Object> seller = new LinkedHashMap<>();
    seller.put(secretKey.testMode() ? "network_id" : "network_business_profile", terms.networkId());
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("payment_method", paymentMethod);
    params.put("usage_limits", limits);
    params.put("seller_details", seller);
    if (!terms.metadata().isEmpty()) {
      params.put("metadata", new LinkedHashMap<String, Object>(terms.metadata()));
    }
    return params;
  }

  /**
   * The idempotency key for minting the token of {@code challenge}: a digest of its realm and id,
   * so any retry of the same challenge, by stripe-java or by the caller, yields the same token.
   */
  static String idempotencyKey(Challenge challenge) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(challenge.realm().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(challenge.id().getBytes(StandardCharsets.UTF_8));
      return "mpp-spt-" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  private String tokenId(StripeResponse response) {
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    JsonNode id = body == null ? null : body.get("id");
    if (id == null || !id.isTextual() || !id.textValue().startsWith("spt_")) {
      throw unexpected(response, "response has no spt_ id", "invalid_response");
    }
    JsonNode status = body.get("status");
    if (status != null && !status.isNull() && !"active".equals(status.asText())) {
      // e.g. requires_action (3-D Secure): the seller could not use the token.
      throw unexpected(response, "token status is " + status.asText(), status.asText());
    }
    return id.textValue();
  }

  private PaymentFailedException unexpected(StripeResponse response, String what, String code) {
    String message = "Stripe returned an unusable shared payment token: " + what;
    StripeApiError error =
        new StripeApiError(message, code, "invalid_response", null, response.code(), null);
    return new PaymentFailedException(ErrorCode.RAIL_FAILED, message, error);
  }

  private StripeApiError translate(StripeException e) {
    StripeError detail = e.getStripeError();
    String type = detail != null && detail.getType() != null ? detail.getType() : typeOf(e);
    String code = e.getCode() != null ? e.getCode() : typeOf(e);
    String declineCode = detail == null ? null : detail.getDeclineCode();
    String stripeMessage = detail != null ? detail.getMessage() : null;
    StringBuilder message = new StringBuilder(code);
    if (declineCode != null) {
      message.append(" (decline code ").append(declineCode).append(')');
    }
    if (e.getStatusCode() != null && e.getStatusCode() > 0) {
      message.append(", HTTP ").append(e.getStatusCode());
    }
    if (e.getRequestId() != null) {
      message.append(", request ").append(e.getRequestId());
    }
    if (stripeMessage != null && !stripeMessage.isBlank()) {
      message.append(": ").append(redact(stripeMessage));
    }
    Integer status = e.getStatusCode() != null && e.getStatusCode() > 0 ? e.getStatusCode() : null;
    return new StripeApiError(
        message.toString(), code, type, declineCode, status, e.getRequestId());
  }

  private String redact(String text) {
    return KEY_LIKE.matcher(secretKey.redactFrom(text)).replaceAll("$1_$2_[redacted]");
  }

  private static String typeOf(StripeException e) {
    String simple = e.getClass().getSimpleName();
    return switch (simple) {
      case "ApiConnectionException" -> "api_connection_error";
      case "AuthenticationException" -> "authentication_error";
      case "PermissionException" -> "permission_error";
      case "RateLimitException" -> "rate_limit_error";
      case "CardException" -> "card_error";
      case "IdempotencyException" -> "idempotency_error";
      case "InvalidRequestException" -> "invalid_request_error";
      default -> "api_error";
    };
  }

  @Override
  public String toString() {
    return "StripeRail["
        + paymentMethodType
        + ", currencies="
        + currencies
        + ", "
        + (secretKey.testMode() ? "test" : "live")
        + " mode]";
  }

  /**
   * Configures a {@link StripeRail}; {@link #build()} validates everything. Every setter but {@code
   * currencies} (which adds) throws {@link IllegalStateException} when called twice.
   */
  public static final class Builder {
    private StripeSecretKey secretKey;
    private String paymentMethod;
    private String paymentMethodType = "card";
    private final Set<String> currencies = new LinkedHashSet<>();
    private StripeFees fees = StripeFees.none();
    private String apiBase = DEFAULT_API_BASE.toString();
    private int maxNetworkRetries = 2;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration readTimeout = Duration.ofSeconds(80);
    private Duration defaultTokenLifetime = Duration.ofHours(1);
    private Clock clock = Clock.systemUTC();
    private final SetOnce assigned = new SetOnce();

    private Builder() {}

    /** The agent's Stripe secret key (required). */
    public Builder secretKey(StripeSecretKey secretKey) {
      Objects.requireNonNull(secretKey, "secretKey");
      assigned.mark("secretKey");
      this.secretKey = secretKey;
      return this;
    }

    /** The saved payment method tokens are minted from, e.g. {@code pm_…} (required). */
    public Builder paymentMethod(String paymentMethod) {
      Objects.requireNonNull(paymentMethod, "paymentMethod");
      if (paymentMethod.isBlank() || paymentMethod.chars().anyMatch(c -> c <= 0x20)) {
        throw invalid("paymentMethod must be a Stripe payment method id such as pm_…");
      }
      assigned.mark("paymentMethod");
      this.paymentMethod = paymentMethod;
      return this;
    }

    /**
     * The Stripe type of the saved payment method (default {@code card}): the rail only pays
     * sellers whose {@code paymentMethodTypes} list it.
     */
    public Builder paymentMethodType(String paymentMethodType) {
      Objects.requireNonNull(paymentMethodType, "paymentMethodType");
      if (paymentMethodType.isBlank()) {
        throw invalid("paymentMethodType must not be blank");
      }
      assigned.mark("paymentMethodType");
      this.paymentMethodType = paymentMethodType;
      return this;
    }

    /** Allows paying in these ISO currencies, e.g. {@code "usd"} (at least one is required). */
    public Builder currencies(String... codes) {
      for (String code : codes) {
        String lower = Objects.requireNonNull(code, "currency").toLowerCase(Locale.ROOT);
        if (!StripeCurrencies.isIsoCode(lower)) {
          throw invalid("currency must be a three-letter ISO code, got '" + code + "'");
        }
        currencies.add(lower);
      }
      return this;
    }

    /** The fee model for cheapest-rail comparisons (default: {@link StripeFees#none()}). */
    public Builder fees(StripeFees fees) {
      Objects.requireNonNull(fees, "fees");
      assigned.mark("fees");
      this.fees = fees;
      return this;
    }

    /**
     * Where Stripe's API is (default {@code https://api.stripe.com}). Must be HTTPS, except for a
     * loopback host (a local fake in tests).
     */
    public Builder apiBase(URI apiBase) {
      Objects.requireNonNull(apiBase, "apiBase");
      String host = apiBase.getHost();
      if (host == null || apiBase.getScheme() == null) {
        throw invalid("apiBase must be an absolute URL");
      }
      boolean https = apiBase.getScheme().equalsIgnoreCase("https");
      if (!https && !(apiBase.getScheme().equalsIgnoreCase("http") && isLoopback(host))) {
        throw invalid("apiBase must use https unless it is a loopback address");
      }
      String path = apiBase.getRawPath();
      if ((path != null && !path.isEmpty() && !path.equals("/"))
          || apiBase.getRawQuery() != null
          || apiBase.getRawUserInfo() != null) {
        throw invalid("apiBase must be scheme://host[:port] only");
      }
      String text = apiBase.toString();
      assigned.mark("apiBase");
      this.apiBase = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
      return this;
    }

    private static boolean isLoopback(String host) {
      String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      return h.equalsIgnoreCase("localhost")
          || h.equals("::1")
          || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** How often stripe-java retries a failed connection or retryable answer (default 2). */
    public Builder maxNetworkRetries(int retries) {
      if (retries < 0 || retries > 10) {
        throw invalid("maxNetworkRetries must be 0 to 10");
      }
      assigned.mark("maxNetworkRetries");
      this.maxNetworkRetries = retries;
      return this;
    }

    /** Connect and read timeouts for Stripe calls (defaults 30 s and 80 s, as stripe-java). */
    public Builder timeouts(Duration connect, Duration read) {
      positive(connect, "connect timeout");
      positive(read, "read timeout");
      assigned.mark("timeouts");
      this.connectTimeout = connect;
      this.readTimeout = read;
      return this;
    }

    /** How long a token lives when the challenge has no {@code expires} (default 1 h). */
    public Builder defaultTokenLifetime(Duration lifetime) {
      positive(lifetime, "token lifetime");
      assigned.mark("defaultTokenLifetime");
      this.defaultTokenLifetime = lifetime;
      return this;
    }

    /** The clock for token expiry (default: system UTC). */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      assigned.mark("clock");
      this.clock = clock;
      return this;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
        throw invalid(name + " must be positive and below 24 days");
      }
      return d;
    }

    /**
     * Builds the rail.
     *
     * @throws ConfigurationException if the key, payment method or currencies are missing
     */
    public StripeRail build() {
      return new StripeRail(this);
    }

    @Override
    public String toString() {
      List<String> parts = new ArrayList<>();
      parts.add("key=" + secretKey);
      parts.add("type=" + paymentMethodType);
      parts.add("currencies=" + currencies);
      return "StripeRail.Builder" + parts;
    }
  }
}
