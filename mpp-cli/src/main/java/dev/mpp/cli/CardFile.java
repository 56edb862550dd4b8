package dev.mpp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.rail.card.BillingAddress;
import dev.mpp.rail.card.Card;
import dev.mpp.rail.card.CardFees;
import dev.mpp.rail.card.CardRail;
import dev.mpp.rail.card.ConfiguredCardCredentials;
import dev.mpp.rail.card.HttpCryptogramSource;
import dev.mpp.rail.card.NetworkToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The card a CLI wallet pays {@code card/charge} with ({@code --card FILE}): display data, the
 * network token and where cryptograms come from. Secrets (the token number, the enabler's API key)
 * are read from the file or from environment variables it names, never from flags; error messages
 * name the JSON path, never a value.
 *
 * <pre>{@code
 * {
 *   "id": "card_abc123", "network": "visa", "lastFour": "4242",
 *   "expiration": {"month": "06", "year": "2028"},
 *   "billing": {"zip": "94102", "countryCode": "US"},
 *   "token": {"env": "MPP_CARD_TOKEN", "expiration": {"month": "06", "year": "2034"}, "eci": "07"},
 *   "cryptograms": {"url": "https://enabler.example/v1/cryptograms", "apiKeyEnv": "MPP_CARD_API_KEY"},
 *   "fees": {"percent": "2.9", "fixedMinorUnits": 30}
 * }
 * }</pre>
 */
final class CardFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TOP =
      Set.of(
          "id",
          "network",
          "lastFour",
          "expiration",
          "billing",
          "cardholderName",
          "paymentAccountReference",
          "token",
          "cryptograms",
          "fees",
          "currencies",
          "allowPlainHttpOnLoopbackForTesting");
  private static final Set<String> EXPIRATION = Set.of("month", "year");
  private static final Set<String> BILLING =
      Set.of("line1", "line2", "city", "state", "zip", "countryCode");
  private static final Set<String> TOKEN = Set.of("value", "env", "expiration", "eci");
  private static final Set<String> CRYPTOGRAMS = Set.of("url", "apiKey", "apiKeyEnv");
  private static final Set<String> FEES = Set.of("percent", "fixedMinorUnits");

  private CardFile() {}

  /** Reads {@code file} into a card rail, taking named secrets from the process environment. */
  static CardRail load(Path file) {
    return load(file, System::getenv);
  }

  static CardRail load(Path file, UnaryOperator<String> env) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw invalid(file, "$", "is not readable JSON");
    }
    if (root == null || !root.isObject()) {
      throw invalid(file, "$", "must be a JSON object");
    }
    try {
      return rail(root, env);
    } catch (Invalid e) {
      throw invalid(file, e.path, e.getMessage());
    } catch (ConfigurationException | IllegalArgumentException e) {
      // Builders and records validate without echoing values.
      throw invalid(file, "$", e.getMessage());
    }
  }

  private static CardRail rail(JsonNode root, UnaryOperator<String> env) throws Invalid {
    keys(root, TOP, "$");
    JsonNode expiration = object(root, "expiration", "$");
    keys(expiration, EXPIRATION, "$.expiration");
    Card.Builder card =
        Card.builder(text(root, "id", "$"))
            .network(text(root, "network", "$"))
            .lastFour(text(root, "lastFour", "$"))
            .expiration(
                text(expiration, "month", "$.expiration"),
                text(expiration, "year", "$.expiration"));
    if (root.has("billing")) {
      JsonNode b = object(root, "billing", "$");
      keys(b, BILLING, "$.billing");
      card.billingAddress(
          new BillingAddress(
              optional(b, "line1"),
              optional(b, "line2"),
              optional(b, "city"),
              optional(b, "state"),
              optional(b, "zip"),
              optional(b, "countryCode")));
    }
    if (root.has("cardholderName")) {
      card.cardholderName(text(root, "cardholderName", "$"));
    }
    if (root.has("paymentAccountReference")) {
      card.paymentAccountReference(text(root, "paymentAccountReference", "$"));
    }
    JsonNode token = object(root, "token", "$");
    keys(token, TOKEN, "$.token");
    JsonNode tokenExpiration = object(token, "expiration", "$.token");
    keys(tokenExpiration, EXPIRATION, "$.token.expiration");
    NetworkToken networkToken =
        new NetworkToken(
            secret(token, "value", "env", env, "$.token"),
            text(tokenExpiration, "month", "$.token.expiration"),
            text(tokenExpiration, "year", "$.token.expiration"),
            text(token, "eci", "$.token"));
    JsonNode cryptograms = object(root, "cryptograms", "$");
    keys(cryptograms, CRYPTOGRAMS, "$.cryptograms");
    HttpCryptogramSource.Builder source =
        HttpCryptogramSource.builder(URI.create(text(cryptograms, "url", "$.cryptograms")));
    if (cryptograms.has("apiKey") || cryptograms.has("apiKeyEnv")) {
      source.apiKey(secret(cryptograms, "apiKey", "apiKeyEnv", env, "$.cryptograms"));
    }
    CardRail.Builder rail =
        CardRail.builder()
            .credentials(new ConfiguredCardCredentials(card.build(), networkToken, source.build()));
    if (root.has("fees")) {
      JsonNode fees = object(root, "fees", "$");
      keys(fees, FEES, "$.fees");
      BigDecimal percent = new BigDecimal(text(fees, "percent", "$.fees"));
      JsonNode fixed = fees.path("fixedMinorUnits");
      if (!fixed.canConvertToLong() || !fixed.isIntegralNumber()) {
        throw new Invalid("$.fees.fixedMinorUnits", "must be a whole number");
      }
      rail.fees(CardFees.percentPlusFixed(percent, fixed.longValue()));
    }
    if (root.has("currencies")) {
      JsonNode currencies = root.get("currencies");
      if (!currencies.isArray()) {
        throw new Invalid("$.currencies", "must be an array of ISO codes");
      }
      for (JsonNode currency : currencies) {
        rail.currencies(currency.asText());
      }
    }
    if (root.path("allowPlainHttpOnLoopbackForTesting").asBoolean(false)) {
      rail.allowPlainHttpOnLoopbackForTesting(true);
    }
    return rail.build();
  }

  /**
   * A secret given either inline ({@code inline}) or by environment variable name ({@code env}).
   */
  private static String secret(
      JsonNode node, String inline, String envField, UnaryOperator<String> env, String path)
      throws Invalid {
    if (node.has(inline) == node.has(envField)) {
      throw new Invalid(path, "needs exactly one of " + inline + " and " + envField);
    }
    if (node.has(inline)) {
      return text(node, inline, path);
    }
    String variable = text(node, envField, path);
    String value = env.apply(variable);
    if (value == null || value.isBlank()) {
      throw new Invalid(
          path + "." + envField, "names environment variable " + variable + ", which is not set");
    }
    return value.strip();
  }

  private static void keys(JsonNode node, Set<String> allowed, String path) throws Invalid {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        // A misspelt key must not silently drop billing data or a fee.
        throw new Invalid(path + "." + name, "is not a known key");
      }
    }
  }

  private static JsonNode object(JsonNode node, String field, String path) throws Invalid {
    JsonNode value = node.get(field);
    if (value == null || !value.isObject()) {
      throw new Invalid(path + "." + field, "must be an object");
    }
    return value;
  }

  private static String text(JsonNode node, String field, String path) throws Invalid {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw new Invalid(path + "." + field, "must be a non-empty string");
    }
    return value.textValue();
  }

  private static String optional(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static ConfigurationException invalid(Path file, String path, String problem) {
    return new ConfigurationException(
        ErrorCode.INVALID_CONFIGURATION, "card file " + file + ": " + path + " " + problem);
  }

  /** A problem at a JSON path, before the file name is known to the message. */
  private static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;
    final String path;

    Invalid(String path, String problem) {
      super(problem, null, false, false);
      this.path = path;
    }
  }
}
