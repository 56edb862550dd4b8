package dev.mpp.testkit.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A minimal JSON-RPC 2.0 client over {@link HttpClient}, safe for concurrent use. */
final class JsonRpcClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  private final URI endpoint;
  private final HttpClient http;
  private final AtomicLong ids = new AtomicLong();

  JsonRpcClient(URI endpoint) {
    this.endpoint = endpoint;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  /**
   * Calls {@code method}; each parameter is converted with Jackson ({@link JsonNode}, strings,
   * numbers, maps and lists all work). Returns the {@code result} member, which may be JSON null.
   */
  JsonNode call(String method, Object... params) {
    ObjectNode request = JSON.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", ids.incrementAndGet());
    request.put("method", method);
    ArrayNode array = request.putArray("params");
    for (Object param : params) {
      array.add(JSON.valueToTree(param));
    }
    HttpRequest httpRequest =
        HttpRequest.newBuilder(endpoint)
            .timeout(CALL_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new JsonRpcException(method + " to " + endpoint + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JsonRpcException(method + " interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new JsonRpcException(
          method + " answered HTTP " + response.statusCode() + ": " + response.body(), null);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new JsonRpcException(method + " answered malformed JSON", e);
    }
    JsonNode error = body.get("error");
    if (error != null && !error.isNull()) {
      throw new JsonRpcException(
          method, error.path("code").asInt(), error.path("message").asText("unknown error"));
    }
    if (!body.has("result")) {
      throw new JsonRpcException(method + " answered without a result: " + body, null);
    }
    return body.get("result");
  }
}
