package dev.mpp.testkit.scenario;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.client.wire.ProblemType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * The server side of the scenarios: challenges, 402s, receipts and credential checks, as an MPP
 * server built on {@code mockwebserver3} would produce them. Credentials are checked against {@link
 * FakePayer#SECRET}.
 */
public final class Paywall {
  /** The realm every scenario challenge names. */
  public static final String REALM = "scenario.test";

  private Paywall() {}

  /** A {@code test}/{@code charge} challenge for {@code cents} usd, expiring in ten minutes. */
  public static Challenge charge(String id, long cents) {
    return charge(id, "test", "charge", Long.toString(cents), "usd")
        .expires(Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS))
        .build();
  }

  /** A challenge builder with the given offer; add expiry, digest or opaque data as needed. */
  public static Challenge.Builder charge(
      String id, String method, String intent, String amount, String currency) {
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    request.put("amount", amount);
    request.put("currency", currency);
    request.put("recipient", "merchant-1");
    return Challenge.builder()
        .id(id)
        .realm(REALM)
        .method(method)
        .intent(intent)
        .request(PaymentRequest.of(request).raw());
  }

  /** A 402 with one {@code WWW-Authenticate} field per challenge and a problem body. */
  public static MockResponse paymentRequired(Challenge... challenges) {
    MockResponse.Builder response = problem(402, ProblemType.PAYMENT_REQUIRED, "pay to continue");
    for (Challenge challenge : challenges) {
      response.addHeader("WWW-Authenticate", challenge.toHeaderValue());
    }
    return response.build();
  }

  /** A response with an RFC 9457 problem body of {@code type}. */
  public static MockResponse.Builder problem(int status, ProblemType type, String detail) {
    String body =
        "{\"type\":\""
            + type.uri()
            + "\",\"title\":\"payment problem\",\"status\":"
            + status
            + ",\"detail\":\""
            + detail
            + "\"}";
    return new MockResponse.Builder()
        .code(status)
        .setHeader("Content-Type", "application/problem+json")
        .body(body);
  }

  /** A {@code Payment-Receipt} value for a settled {@code test} payment. */
  public static String receipt(String reference, String challengeId) {
    String json =
        "{\"status\":\"success\",\"method\":\"test\",\"reference\":\""
            + reference
            + "\",\"challengeId\":\""
            + challengeId
            + "\",\"timestamp\":\""
            + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + "\"}";
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A paid 200 with {@code body} and a receipt for {@code challengeId}. */
  public static MockResponse paid(String body, String reference, String challengeId) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Payment-Receipt", receipt(reference, challengeId))
        .body(body)
        .build();
  }

  /**
   * Whether {@code authorization} is a valid credential for {@code issued}: it parses, echoes every
   * challenge parameter exactly as sent, and carries the right MAC.
   */
  public static boolean isValidCredential(String authorization, Challenge issued) {
    if (authorization == null) {
      return false;
    }
    Credential credential = Credential.parse(authorization);
    ObjectNode echoed = (ObjectNode) credential.toJson().get("challenge");
    Map<String, String> sent = new java.util.LinkedHashMap<>();
    sent.put("id", issued.id());
    sent.put("realm", issued.realm());
    sent.put("method", issued.method());
    sent.put("intent", issued.intent());
    sent.put("request", issued.request().raw());
    issued.expiresRaw().ifPresent(v -> sent.put("expires", v));
    issued.digestRaw().ifPresent(v -> sent.put("digest", v));
    issued.opaque().ifPresent(v -> sent.put("opaque", v));
    issued.description().ifPresent(v -> sent.put("description", v));
    if (echoed.size() != sent.size()) {
      return false;
    }
    for (Map.Entry<String, String> entry : sent.entrySet()) {
      if (!echoed.hasNonNull(entry.getKey())
          || !echoed.get(entry.getKey()).textValue().equals(entry.getValue())) {
        return false;
      }
    }
    return FakePayer.mac(issued.id()).equals(credential.payload().path("mac").asText());
  }

  /**
   * A server that charges {@code cents} for every request: a fresh single-use challenge for each
   * unpaid request, 200 with a receipt for each valid credential, and a 402 {@code
   * invalid-challenge} for a reused or forged one. Thread-safe.
   */
  public static final class Metered extends Dispatcher {
    private final long cents;
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger paid = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final Map<String, Challenge> open = new ConcurrentHashMap<>();
    private final Set<String> credentials = ConcurrentHashMap.newKeySet();

    /** A server charging {@code cents} per request. */
    public Metered(long cents) {
      this.cents = cents;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String authorization = request.getHeaders().get("Authorization");
      if (authorization == null) {
        Challenge challenge = charge("m-" + issued.incrementAndGet(), cents);
        open.put(challenge.id(), challenge);
        return paymentRequired(challenge);
      }
      credentials.add(authorization);
      Challenge challenge = Credential.parse(authorization).challenge();
      Challenge issuedChallenge = open.remove(challenge.id());
      if (issuedChallenge == null || !isValidCredential(authorization, issuedChallenge)) {
        rejected.incrementAndGet();
        return problem(402, ProblemType.INVALID_CHALLENGE, "unknown or used challenge").build();
      }
      paid.incrementAndGet();
      return Paywall.paid(
          "paid " + request.getUrl().encodedPath(), "ref-" + challenge.id(), challenge.id());
    }

    /** How many challenges were issued. */
    public int issued() {
      return issued.get();
    }

    /** How many valid credentials were accepted. */
    public int paid() {
      return paid.get();
    }

    /** How many credentials were refused. */
    public int rejected() {
      return rejected.get();
    }

    /** Every distinct credential received. */
    public Set<String> credentials() {
      return Set.copyOf(credentials);
    }
  }
}
