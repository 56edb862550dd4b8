package dev.mpp.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mpp.client.MppException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.PaymentRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A loopback MPP server for the quick starts: every path costs one US cent through the HMAC {@code
 * test} method that the reference server ({@code examples/mpp-server}) also offers. Challenges are
 * single-use and expire after five minutes. A demo, not a server to deploy.
 */
public final class DemoPaywall implements AutoCloseable {
  private final HttpServer server;
  private final byte[] secret;
  private final Map<String, Challenge> open = new ConcurrentHashMap<>();

  private DemoPaywall(HttpServer server, String secret) {
    this.server = server;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  /** Starts a paywall on a free loopback port, verifying credentials with {@code secret}. */
  public static DemoPaywall start(String secret) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    DemoPaywall paywall = new DemoPaywall(server, secret);
    server.createContext("/", paywall::handle);
    server.start();
    return paywall;
  }

  /** The URL of {@code path} on this paywall. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      Challenge paid = authorization == null ? null : verify(authorization);
      if (paid == null) {
        Challenge challenge = challenge();
        open.put(challenge.id(), challenge);
        exchange.getResponseHeaders().add("WWW-Authenticate", challenge.toHeaderValue());
        exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
        respond(
            exchange,
            402,
            "{\"type\":\"https://paymentauth.org/problems/payment-required\",\"status\":402}");
        return;
      }
      String receipt =
          "{\"status\":\"success\",\"method\":\"test\",\"reference\":\"demo-"
              + paid.id()
              + "\",\"timestamp\":\""
              + Instant.now()
              + "\"}";
      exchange
          .getResponseHeaders()
          .add(
              "Payment-Receipt",
              Base64.getUrlEncoder()
                  .withoutPadding()
                  .encodeToString(receipt.getBytes(StandardCharsets.UTF_8)));
      respond(
          exchange,
          200,
          "{\"forecast\":\"sunny\",\"path\":\"" + exchange.getRequestURI().getPath() + "\"}");
    }
  }

  private Challenge challenge() {
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    request.put("amount", "1");
    request.put("currency", "usd");
    request.put("recipient", "demo-merchant");
    return Challenge.builder()
        .id(UUID.randomUUID().toString())
        .realm("demo-paywall")
        .method("test")
        .intent("charge")
        .request(PaymentRequest.of(request).raw())
        .expires(Instant.now().plusSeconds(300))
        .build();
  }

  /** The open challenge the credential pays, consumed; null when invalid, unknown or used. */
  private Challenge verify(String authorization) {
    try {
      Credential credential = Credential.parse(authorization);
      Challenge issued = open.remove(credential.challenge().id());
      if (issued == null || !issued.equals(credential.challenge())) {
        return null;
      }
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] expected = mac.doFinal(issued.id().getBytes(StandardCharsets.UTF_8));
      byte[] given = HexFormat.of().parseHex(credential.payload().path("mac").asText(""));
      return MessageDigest.isEqual(expected, given) ? issued : null;
    } catch (MppException | IllegalArgumentException | GeneralSecurityException e) {
      return null;
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
