package dev.mpp.evm.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.evm.chain.JsonRpcException.Kind;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small, thread-safe Ethereum JSON-RPC 2.0 client over {@link java.net.http.HttpClient}.
 *
 * <p>Calls block the calling thread. Failures are {@link JsonRpcException}s whose {@link
 * JsonRpcException#kind() kind} tells whether the node refused the request or whether its outcome
 * is unknown. Neither the endpoint URL nor request parameters appear in exception messages or
 * {@link #toString()}.
 */
public final class JsonRpcClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();
  private static final int MAX_ERROR_MESSAGE = 200;

  private final URI endpoint;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Map<String, String> headers;
  private final Duration pollInitial;
  private final Duration pollMax;
  private final AtomicLong ids = new AtomicLong();

  private JsonRpcClient(Builder builder) {
    this.endpoint = builder.endpoint;
    this.http =
        builder.httpClient != null
            ? builder.httpClient
            : HttpClient.newBuilder().connectTimeout(builder.requestTimeout).build();
    this.requestTimeout = builder.requestTimeout;
    this.headers = Map.copyOf(builder.headers);
    this.pollInitial = builder.pollInitial;
    this.pollMax = builder.pollMax;
  }

  /** Creates a client with default settings (10 s request timeout). */
  public static JsonRpcClient create(URI endpoint) {
    return builder(endpoint).build();
  }

  /** Returns a builder for a client talking to {@code endpoint} (an http or https URL). */
  public static Builder builder(URI endpoint) {
    return new Builder(endpoint);
  }

  /**
   * Sends one request and returns its {@code result} (possibly a JSON null).
   *
   * @param params positional parameters, serialized with Jackson (strings, numbers, booleans, maps,
   *     lists or {@link JsonNode}s)
   * @throws JsonRpcException on any failure
   */
  public JsonNode send(String method, Object... params) {
    Objects.requireNonNull(method, "method");
    long id = ids.incrementAndGet();
    ObjectNode request = NODES.objectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", id);
    request.put("method", method);
    ArrayNode array = request.putArray("params");
    for (Object param : params) {
      array.add(param instanceof JsonNode node ? node : JSON.valueToTree(param));
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(request);
    } catch (IOException e) {
      throw new IllegalArgumentException(method + ": parameters cannot be serialized", e);
    }
    HttpRequest.Builder http =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(http::header);
    HttpResponse<byte[]> response;
    try {
      response = this.http.send(http.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw new JsonRpcException(Kind.TIMEOUT, method, "no response in time", null, null, null);
    } catch (IOException e) {
      throw new JsonRpcException(
          Kind.TRANSPORT,
          method,
          "transport failure: " + e.getClass().getSimpleName(),
          null,
          null,
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JsonRpcException(Kind.INTERRUPTED, method, "interrupted", null, null, null);
    }
    return parseResponse(method, id, response.statusCode(), response.body());
  }

  private static JsonNode parseResponse(String method, long id, int status, byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      root = null;
    }
    boolean ok = status >= 200 && status < 300;
    if (root == null || !root.isObject()) {
      throw new JsonRpcException(
          ok ? Kind.MALFORMED_RESPONSE : Kind.HTTP_STATUS,
          method,
          ok ? "response is not a JSON-RPC object" : "HTTP " + status,
          status,
          null,
          null);
    }
    JsonNode error = root.get("error");
    if (error != null && !error.isNull()) {
      long code = error.path("code").asLong(0);
      throw new JsonRpcException(
          Kind.RPC_ERROR,
          method,
          "RPC error " + code + ": " + truncate(error.path("message").asText("")),
          status,
          code,
          null);
    }
    if (!ok) {
      throw new JsonRpcException(Kind.HTTP_STATUS, method, "HTTP " + status, status, null, null);
    }
    if (!root.has("result")) {
      throw new JsonRpcException(
          Kind.MALFORMED_RESPONSE,
          method,
          "response has neither result nor error",
          status,
          null,
          null);
    }
    JsonNode responseId = root.get("id");
    if (responseId == null || !responseId.canConvertToLong() || responseId.asLong() != id) {
      throw new JsonRpcException(
          Kind.MALFORMED_RESPONSE,
          method,
          "response id does not match request",
          status,
          null,
          null);
    }
    return root.get("result");
  }

  /** Returns the chain id ({@code eth_chainId}). */
  public long chainId() {
    return quantity("eth_chainId", send("eth_chainId")).longValueExact();
  }

  /** Returns the latest block number ({@code eth_blockNumber}). */
  public long blockNumber() {
    return quantity("eth_blockNumber", send("eth_blockNumber")).longValueExact();
  }

  /**
   * Executes a read-only call against the latest block ({@code eth_call}).
   *
   * @return the returned bytes
   */
  public byte[] call(EvmAddress to, byte[] data) {
    ObjectNode tx = NODES.objectNode();
    tx.put("to", to.toLowerHex());
    tx.put("data", "0x" + HEX.formatHex(data));
    return call(tx, "latest");
  }

  /**
   * Executes a read-only call ({@code eth_call}) with a full call object.
   *
   * @param block a block tag ({@code latest}, {@code pending}) or a hex block number
   */
  public byte[] call(ObjectNode transaction, String block) {
    return bytes("eth_call", send("eth_call", transaction, block));
  }

  /**
   * Estimates gas for a transaction request ({@code eth_estimateGas}). The request object is passed
   * through unchanged, so chain-specific fields (such as Tempo's {@code calls}, {@code nonceKey}
   * and {@code feeToken}) reach the node.
   */
  public long estimateGas(ObjectNode transaction) {
    return quantity("eth_estimateGas", send("eth_estimateGas", transaction)).longValueExact();
  }

  /** Returns the node's gas price suggestion in wei ({@code eth_gasPrice}). */
  public BigInteger gasPrice() {
    return quantity("eth_gasPrice", send("eth_gasPrice"));
  }

  /** Returns the node's priority fee suggestion in wei ({@code eth_maxPriorityFeePerGas}). */
  public BigInteger maxPriorityFeePerGas() {
    return quantity("eth_maxPriorityFeePerGas", send("eth_maxPriorityFeePerGas"));
  }

  /**
   * Broadcasts a signed transaction ({@code eth_sendRawTransaction}).
   *
   * <p>A {@link JsonRpcException} with {@link JsonRpcException#outcomeUnknown()} means the
   * transaction may have reached the network anyway.
   *
   * @return the transaction hash reported by the node
   */
  public String sendRawTransaction(byte[] signedTransaction) {
    String method = "eth_sendRawTransaction";
    JsonNode result = send(method, "0x" + HEX.formatHex(signedTransaction));
    return hash32(method, result);
  }

  /**
   * Returns the receipt of a mined transaction, or empty while it is pending or unknown ({@code
   * eth_getTransactionReceipt}).
   */
  public Optional<TransactionReceipt> getTransactionReceipt(String transactionHash) {
    String method = "eth_getTransactionReceipt";
    JsonNode result = send(method, transactionHash);
    if (result == null || result.isNull()) {
      return Optional.empty();
    }
    if (!result.isObject()) {
      throw malformed(method, "receipt is not an object");
    }
    JsonNode price = result.get("effectiveGasPrice");
    return Optional.of(
        new TransactionReceipt(
            hash32(method, result.get("transactionHash")),
            quantity(method, result.get("status")).signum() == 1,
            quantity(method, result.get("blockNumber")).longValueExact(),
            quantity(method, result.get("gasUsed")),
            price == null || price.isNull() ? null : quantity(method, price)));
  }

  /**
   * Polls for a receipt with exponential backoff until it appears or {@code timeout} elapses.
   * Transient failures while polling are retried within the same deadline.
   *
   * @return the receipt, or empty if none was seen in time (the transaction may still be mined)
   * @throws JsonRpcException of kind {@link Kind#INTERRUPTED} if the thread is interrupted
   */
  public Optional<TransactionReceipt> waitForReceipt(String transactionHash, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long delayNanos = pollInitial.toNanos();
    while (true) {
      try {
        Optional<TransactionReceipt> receipt = getTransactionReceipt(transactionHash);
        if (receipt.isPresent()) {
          return receipt;
        }
      } catch (JsonRpcException e) {
        if (e.kind() == Kind.INTERRUPTED) {
          throw e;
        }
        // Otherwise transient (or a flaky node): keep polling until the deadline.
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return Optional.empty();
      }
      try {
        Thread.sleep(Duration.ofNanos(Math.min(delayNanos, remaining)).toMillis() + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JsonRpcException(
            Kind.INTERRUPTED, "eth_getTransactionReceipt", "interrupted", null, null, null);
      }
      delayNanos = Math.min(pollMax.toNanos(), delayNanos + delayNanos / 2);
    }
  }

  static BigInteger quantity(String method, JsonNode node) {
    if (node == null || !node.isTextual()) {
      throw malformed(method, "expected a hex quantity");
    }
    String text = node.asText();
    if (text.length() < 3 || text.length() > 66 || !text.startsWith("0x")) {
      throw malformed(method, "expected a hex quantity");
    }
    try {
      return new BigInteger(text.substring(2), 16);
    } catch (NumberFormatException e) {
      throw malformed(method, "expected a hex quantity");
    }
  }

  private static byte[] bytes(String method, JsonNode node) {
    if (node == null || !node.isTextual() || !node.asText().startsWith("0x")) {
      throw malformed(method, "expected hex data");
    }
    try {
      return HEX.parseHex(node.asText().substring(2));
    } catch (IllegalArgumentException e) {
      throw malformed(method, "expected hex data");
    }
  }

  private static String hash32(String method, JsonNode node) {
    byte[] bytes = bytes(method, node);
    if (bytes.length != 32) {
      throw malformed(method, "expected a 32-byte hash");
    }
    return "0x" + HEX.formatHex(bytes);
  }

  private static JsonRpcException malformed(String method, String message) {
    return new JsonRpcException(Kind.MALFORMED_RESPONSE, method, message, null, null, null);
  }

  private static String truncate(String message) {
    return message.length() <= MAX_ERROR_MESSAGE
        ? message
        : message.substring(0, MAX_ERROR_MESSAGE) + "…";
  }

  /** Shows the endpoint's scheme and host only: paths and queries often carry API keys. */
  @Override
  public String toString() {
    return "JsonRpcClient[" + endpoint.getScheme() + "://" + endpoint.getHost() + "]";
  }

  /** Configures a {@link JsonRpcClient}. */
  public static final class Builder {
    private final URI endpoint;
    private HttpClient httpClient;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration pollInitial = Duration.ofMillis(200);
    private Duration pollMax = Duration.ofSeconds(2);

    private Builder(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException("endpoint must be an http or https URL");
      }
    }

    /** Uses a shared {@link HttpClient} (default: a new one per RPC client). */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** Sets the per-request timeout (default 10 s). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /** Adds a header to every request, e.g. an authorization header; values are never logged. */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Sets the first and the largest delay between receipt polls (default 200 ms, 2 s). */
    public Builder receiptPolling(Duration initial, Duration max) {
      this.pollInitial = positive(initial, "initial");
      this.pollMax = positive(max, "max");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max poll delay must be >= the initial delay");
      }
      return this;
    }

    /** Builds the client. */
    public JsonRpcClient build() {
      return new JsonRpcClient(this);
    }

    private static Duration positive(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return duration;
    }
  }
}
