package dev.mpp.wallet.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.wire.Challenge;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.RailPayment;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pays the interop stack's custom {@code test}/{@code charge} method without a chain: the payload
 * is {@code {"mac": lowercase hex HMAC-SHA256(secret, challenge id)}}, which the local reference
 * server verifies with the same secret. Amounts are ISO {@code usd} in cents, priced like any other
 * dollar amount, so adapters and benchmarks can exercise budgets against a real server.
 */
public final class HmacTestRail implements Rail {
  /** The secret the interop server uses unless {@code MPP_TEST_SECRET} says otherwise. */
  public static final String DEFAULT_SECRET = "test-secret";

  private final SecretKeySpec key;
  private final TestRail delegate;

  private HmacTestRail(byte[] secret, String currency, int decimals) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("secret must not be empty");
    }
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.delegate =
        TestRail.builder()
            .method("test")
            .intents("charge")
            .asset(currency, decimals)
            .payload(this::payload)
            .build();
  }

  /** A rail for {@code usd} in cents with the given secret (UTF-8). */
  public static HmacTestRail of(String secret) {
    return of(secret, "usd", 2);
  }

  /** A rail for another off-chain currency, e.g. {@code eur} with 2 decimals. */
  public static HmacTestRail of(String secret, String currency, int decimals) {
    return new HmacTestRail(
        Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8),
        currency,
        decimals);
  }

  /** The MAC the server expects for {@code challengeId}. */
  public String mac(String challengeId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(challengeId.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  private ObjectNode payload(Challenge challenge) {
    return JsonNodeFactory.instance.objectNode().put("mac", mac(challenge.id()));
  }

  @Override
  public String method() {
    return delegate.method();
  }

  @Override
  public List<String> intents() {
    return delegate.intents();
  }

  @Override
  public Quote quote(Challenge challenge) {
    return delegate.quote(challenge);
  }

  @Override
  public RailPayment pay(Challenge challenge, PaymentContext context) {
    return delegate.pay(challenge, context);
  }

  /** How many payments this rail has produced. */
  public int payments() {
    return delegate.payments();
  }

  @Override
  public String toString() {
    return "HmacTestRail[test/charge]";
  }
}
