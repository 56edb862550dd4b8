package dev.mpp.rail.card;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Asks a card enabler for each payment's cryptogram over HTTP. The shape, which an enabler (or a
 * small adapter in front of one) implements:
 *
 * <pre>
 * POST {endpoint}
 * Authorization: Bearer {api key}          (when configured)
 * Idempotency-Key: {challengeId}
 * Content-Type: application/json
 *
 * {"cardId":"card_abc123","network":"visa","panLastFour":"4242","challengeId":"ch_…",
 *  "realm":"api.merchant.com","merchantName":"Acme Corp","recipient":"merch_abc123",
 *  "amount":"4999","currency":"usd"}
 *
 * 200 OK
 * {"dynamicDataValue":"AmDDBjkH/4A=","dynamicDataType":"CARD_APPLICATION_CRYPTOGRAM_SHORT_FORM",
 *  "dynamicDataExpiration":1746296464}
 * </pre>
 *
 * <p>Any other status, a body over 16 KiB or missing fields is a {@link CardProvisioningException}
 * naming the status only. The API key never appears in {@link #toString()} or messages.
 */
public final class HttpCryptogramSource implements CryptogramSource {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BYTES = 16 * 1024;

  private final URI endpoint;
  private final String apiKey;
  private final Duration timeout;
  private final HttpClient client;

  private HttpCryptogramSource(Builder b) {
    this.endpoint = b.endpoint;
    this.apiKey = b.apiKey;
    this.timeout = b.timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(b.timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Starts configuring a source.
   *
   * @param endpoint the enabler's cryptogram endpoint: HTTPS, or HTTP to a loopback address
   */
  public static Builder builder(URI endpoint) {
    return new Builder(endpoint);
  }

  @Override
  public DynamicData issue(Card card, CardPurchase purchase) {
    ObjectNode body = JSON.createObjectNode();
    body.put("cardId", card.id());
    body.put("network", card.network());
    body.put("panLastFour", card.lastFour());
    body.put("challengeId", purchase.challengeId());
    body.put("realm", purchase.realm());
    body.put("merchantName", purchase.merchantName());
    purchase.recipientId().ifPresent(recipient -> body.put("recipient", recipient));
    body.put("amount", purchase.amount().units().toString());
    body.put("currency", purchase.currency());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", purchase.challengeId())
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    JsonNode answer;
    try {
      HttpResponse<InputStream> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      byte[] bytes;
      try (InputStream in = response.body()) {
        bytes = in.readNBytes(MAX_BYTES + 1);
      }
      if (response.statusCode() != 200) {
        throw new CardProvisioningException(
            "cryptogram endpoint answered HTTP " + response.statusCode() + " for " + card.label());
      }
      if (bytes.length > MAX_BYTES) {
        throw new CardProvisioningException("cryptogram response is larger than 16 KiB");
      }
      answer = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new CardProvisioningException(
          "cryptogram endpoint unreachable for " + card.label() + ": " + e.getClass().getName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CardProvisioningException("interrupted while asking for a cryptogram");
    }
    JsonNode value = answer == null ? null : answer.get("dynamicDataValue");
    JsonNode type = answer == null ? null : answer.get("dynamicDataType");
    JsonNode expiration = answer == null ? null : answer.get("dynamicDataExpiration");
    if (value == null
        || !value.isTextual()
        || type == null
        || !type.isTextual()
        || expiration == null
        || !expiration.canConvertToLong()) {
      throw new CardProvisioningException("cryptogram response lacks dynamicData fields");
    }
    try {
      return new DynamicData(value.textValue(), type.textValue(), expiration.longValue());
    } catch (IllegalArgumentException e) {
      // DynamicData's messages never repeat the value.
      throw new CardProvisioningException("cryptogram response is invalid: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "HttpCryptogramSource["
        + endpoint.getScheme()
        + "://"
        + endpoint.getAuthority()
        + (apiKey == null ? "" : ", api key redacted")
        + "]";
  }

  /** Configures an {@link HttpCryptogramSource}. */
  public static final class Builder {
    private final URI endpoint;
    private String apiKey;
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      String scheme =
          endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
      if (endpoint.getHost() == null || endpoint.getRawUserInfo() != null) {
        throw invalid("cryptogram endpoint must be an absolute URL without user info");
      }
      boolean loopback = CardRail.isLoopback(endpoint.getHost().toLowerCase(Locale.ROOT));
      if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
        throw invalid("cryptogram endpoint must use https unless it is a loopback address");
      }
      this.endpoint = endpoint;
    }

    /** The bearer API key the enabler issued to the agent (optional). */
    public Builder apiKey(String apiKey) {
      Objects.requireNonNull(apiKey, "apiKey");
      if (apiKey.isBlank() || apiKey.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
        throw invalid("cryptogram API key is blank or contains whitespace or non-ASCII");
      }
      this.apiKey = apiKey;
      return this;
    }

    /** Reads the bearer API key from an environment variable. */
    public Builder apiKeyFromEnvironment(String variable) {
      String value = System.getenv(Objects.requireNonNull(variable, "variable"));
      if (value == null || value.isBlank()) {
        throw invalid("environment variable " + variable + " is not set");
      }
      return apiKey(value.strip());
    }

    /** Connect and response timeout (default 10 s). */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw invalid("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /** Builds the source. */
    public HttpCryptogramSource build() {
      return new HttpCryptogramSource(this);
    }

    private static ConfigurationException invalid(String message) {
      return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, message);
    }
  }
}
