package dev.mpp.evm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A loopback JSON-RPC endpoint answering with a scripted function of the request. */
public final class FakeRpcServer implements AutoCloseable {

  /** A canned HTTP answer. */
  public record Reply(int status, String body, long delayMillis) {
    public static Reply result(JsonNode request, String resultJson) {
      return new Reply(
          200,
          "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + resultJson + "}",
          0);
    }

    public static Reply error(JsonNode request, long code, String message) {
      return new Reply(
          200,
          "{\"jsonrpc\":\"2.0\",\"id\":"
              + request.get("id")
              + ",\"error\":{\"code\":"
              + code
              + ",\"message\":\""
              + message
              + "\"}}",
          0);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private volatile Function<JsonNode, Reply> script;

  public FakeRpcServer(Function<JsonNode, Reply> script) throws IOException {
    this.script = script;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          JsonNode request = JSON.readTree(exchange.getRequestBody());
          requests.add(request);
          Reply reply = this.script.apply(request);
          try {
            Thread.sleep(reply.delayMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(reply.status(), body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  public void script(Function<JsonNode, Reply> script) {
    this.script = script;
  }

  /** An endpoint whose path carries a fake API key, as hosted RPC URLs do. */
  public URI uri() {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/v2/SECRET-API-KEY-123");
  }

  public List<JsonNode> requests() {
    return requests;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
