package dev.mpp.wallet.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.wallet.price.Prices;
import java.net.URI;

/** Challenges and contexts for wallet tests. */
public final class Offers {
  public static final String REALM = "api.example.com";
  public static final String URL = "https://api.example.com/v1/data?key=secret";
  public static final String PATH_USD = Prices.PATH_USD;
  public static final String ALPHA_USD = Prices.ALPHA_USD;
  public static final long TEMPO = 4217L;

  private Offers() {}

  /** An off-chain offer, e.g. {@code offer("c1", "test", "150", "usd")}. */
  public static Challenge offer(String id, String method, String amount, String currency) {
    return offer(id, method, amount, currency, null, null);
  }

  /** A Tempo-style on-chain offer. */
  public static Challenge onChain(String id, String method, String amount, String token) {
    return offer(id, method, amount, token, TEMPO, null);
  }

  public static Challenge offer(
      String id, String method, String amount, String currency, Long chainId, String recipient) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("amount", amount);
    json.put("currency", currency);
    if (recipient != null) {
      json.put("recipient", recipient);
    }
    if (chainId != null) {
      json.putObject("methodDetails").put("chainId", chainId);
    }
    return Challenge.builder()
        .id(id)
        .realm(REALM)
        .method(method)
        .intent("charge")
        .request(PaymentRequest.of(json).raw())
        .description("test offer " + id)
        .build();
  }

  public static PaymentContext context(String agent) {
    return context(URL, agent);
  }

  public static PaymentContext context(String url, String agent) {
    return PaymentContext.of(URI.create(url), "GET", agent);
  }

  /** method {@code test}: usd cents. */
  public static TestRail usdRail() {
    return TestRail.usd();
  }

  /** method {@code tempo}: pathUSD and AlphaUSD on chain 4217, 6 decimals. */
  public static TestRail tempoRail() {
    return TestRail.builder()
        .method("tempo")
        .asset(PATH_USD, TEMPO, 6)
        .asset(ALPHA_USD, TEMPO, 6)
        .build();
  }
}
