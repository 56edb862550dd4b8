package dev.mpp.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.client.wire.ProblemType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

/** Shared test data: a fixed clock, challenges, and the 402/200 responses a server would send. */
public final class Fixtures {
  /** The instant every fixed clock in the tests shows. */
  public static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  /** The request URL of most flow tests (never contacted: the exchange is scripted). */
  public static final String URL = "https://127.0.0.1:8443/resource";

  private Fixtures() {}

  /** A clock fixed at {@link #NOW}. */
  public static Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  /** A tempo/charge request of 1000 base units. */
  public static PaymentRequest request() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("amount", "1000");
    json.put("currency", "0x20c0000000000000000000000000000000000001");
    json.put("recipient", "0x742d35Cc6634C0532925a3b844Bc9e7595f8fE00");
    return PaymentRequest.of(json);
  }

  /** A valid challenge expiring five minutes after {@link #NOW}. */
  public static Challenge challenge(String id) {
    return challenge(id, NOW.plus(Duration.ofMinutes(5)));
  }

  /** A valid challenge with the given expiry (null for none). */
  public static Challenge challenge(String id, Instant expires) {
    return Challenge.builder()
        .id(id)
        .realm("127.0.0.1")
        .method("tempo")
        .intent("charge")
        .request(request().raw())
        .expires(expires)
        .build();
  }

  /** A 402 carrying each challenge in its own {@code WWW-Authenticate} field. */
  public static FakeResponse paymentRequired(Challenge... challenges) {
    FakeResponse response = FakeResponse.status(402);
    for (Challenge challenge : challenges) {
      response.header("WWW-Authenticate", challenge.toHeaderValue());
    }
    return response;
  }

  /** A 402 rejecting a credential with problem details of {@code type} and a fresh challenge. */
  public static FakeResponse rejected(ProblemType type, Challenge fresh) {
    return rejected(type.uri(), fresh);
  }

  /** A 402 rejecting a credential with problem details of {@code typeUri}. */
  public static FakeResponse rejected(String typeUri, Challenge fresh) {
    return paymentRequired(fresh)
        .header("Content-Type", "application/problem+json")
        .body("{\"type\":\"" + typeUri + "\",\"title\":\"rejected\",\"status\":402}");
  }

  /** A {@code Payment-Receipt} value for a successful settlement. */
  public static String receipt(String reference) {
    String json =
        "{\"method\":\"tempo\",\"reference\":\""
            + reference
            + "\",\"status\":\"success\",\"timestamp\":\"2025-06-01T12:00:01Z\"}";
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A 200 with a valid receipt. */
  public static FakeResponse paid(String reference) {
    return FakeResponse.status(200).header("Payment-Receipt", receipt(reference)).body("ok");
  }
}
