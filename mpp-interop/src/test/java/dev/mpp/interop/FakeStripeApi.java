package dev.mpp.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * The buyer's side of Stripe for the Stripe rail: the test-mode helper that mints Shared Payment
 * Tokens ({@code POST /v1/test_helpers/shared_payment/granted_tokens}), answering {@code
 * spt_test_…} tokens the reference server's fake Stripe accepts. It checks what real Stripe would
 * (a test-mode secret key, the preview API version, an idempotency key) and keeps every minted
 * token with the form parameters it was minted from; the same idempotency key returns the same
 * token.
 */
final class FakeStripeApi implements AutoCloseable {
  static final String SECRET_KEY = "sk_test_interop0123456789abcdef";
  static final String PAYMENT_METHOD = "pm_card_visa";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final MockWebServer server = new MockWebServer();
  private final Map<String, String> byIdempotencyKey = new ConcurrentHashMap<>();

  /** Every token minted, with its form parameters, oldest first. */
  final List<Minted> minted = new CopyOnWriteArrayList<>();

  record Minted(String token, Map<String, String> params) {}

  FakeStripeApi() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return handle(request);
          }
        });
    try {
      server.start(InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI apiBase() {
    return URI.create("http://127.0.0.1:" + server.getPort());
  }

  private MockResponse handle(RecordedRequest request) {
    if (!"POST".equals(request.getMethod())
        || !"/v1/test_helpers/shared_payment/granted_tokens".equals(request.getTarget())) {
      return error(404, "invalid_request_error", "resource_missing", "Unrecognized request URL");
    }
    if (!("Bearer " + SECRET_KEY).equals(request.getHeaders().get("Authorization"))) {
      return error(401, "invalid_request_error", "api_key_invalid", "Invalid API Key provided");
    }
    if (!"2026-07-29.preview".equals(request.getHeaders().get("Stripe-Version"))) {
      return error(400, "invalid_request_error", "api_version_invalid", "Preview version needed");
    }
    String idempotencyKey = request.getHeaders().get("Idempotency-Key");
    if (idempotencyKey == null) {
      return error(400, "invalid_request_error", "idempotency_key_missing", "Idempotency-Key");
    }
    Map<String, String> params = form(request.getBody() == null ? "" : request.getBody().utf8());
    String token =
        byIdempotencyKey.computeIfAbsent(
            idempotencyKey,
            key -> {
              byte[] id = new byte[12];
              RANDOM.nextBytes(id);
              String minted = "spt_test_" + HexFormat.of().formatHex(id);
              this.minted.add(new Minted(minted, params));
              return minted;
            });
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .addHeader("Request-Id", "req_interop")
        .body(
            "{\"id\":\""
                + token
                + "\",\"object\":\"shared_payment.granted_token\",\"status\":\"active\","
                + "\"livemode\":false}")
        .build();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return params;
  }

  private static MockResponse error(int status, String type, String code, String message) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "application/json")
        .body(
            "{\"error\":{\"type\":\""
                + type
                + "\",\"code\":\""
                + code
                + "\",\"message\":\""
                + message
                + "\"}}")
        .build();
  }

  @Override
  public void close() {
    server.close();
  }
}
