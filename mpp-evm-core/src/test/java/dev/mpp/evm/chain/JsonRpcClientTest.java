package dev.mpp.evm.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.evm.chain.JsonRpcException.Kind;
import dev.mpp.evm.testing.FakeRpcServer;
import dev.mpp.evm.testing.FakeRpcServer.Reply;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JsonRpcClientTest {

  private static final String HASH =
      "0x04ad27d1607bc3fc37445724d8864b0843f88008bafd818814474e5ee94647eb";
  private static final String RECEIPT =
      "{\"transactionHash\":\""
          + HASH
          + "\",\"status\":\"0x1\",\"blockNumber\":\"0x1b4\",\"gasUsed\":\"0x5208\","
          + "\"effectiveGasPrice\":\"0x4a817c800\"}";

  private FakeRpcServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private JsonRpcClient client(FakeRpcServer server) {
    return JsonRpcClient.builder(server.uri())
        .requestTimeout(Duration.ofSeconds(2))
        .receiptPolling(Duration.ofMillis(5), Duration.ofMillis(20))
        .build();
  }

  @Test
  void sendsJsonRpcRequestsAndParsesQuantities() throws IOException {
    server = new FakeRpcServer(request -> Reply.result(request, "\"0x1079\""));

    long chainId = client(server).chainId();

    assertThat(chainId).isEqualTo(4217);
    assertThat(server.requests()).hasSize(1);
    assertThat(server.requests().get(0).get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(server.requests().get(0).get("method").asText()).isEqualTo("eth_chainId");
    assertThat(server.requests().get(0).get("params").size()).isZero();
  }

  @Test
  void passesTransactionObjectsThroughToEstimateGas() throws IOException {
    server = new FakeRpcServer(request -> Reply.result(request, "\"0x186a0\""));
    ObjectNode tx = JsonNodeFactory.instance.objectNode();
    tx.put("type", "0x76");
    tx.putArray("calls").addObject().put("to", "0x20c0000000000000000000000000000000000000");

    long gas = client(server).estimateGas(tx);

    assertThat(gas).isEqualTo(100_000);
    assertThat(server.requests().get(0).get("params").get(0)).isEqualTo(tx);
  }

  @Test
  void readsFeeSuggestionsAndCallResults() throws IOException {
    server =
        new FakeRpcServer(
            request ->
                switch (request.get("method").asText()) {
                  case "eth_gasPrice" -> Reply.result(request, "\"0x4a817c800\"");
                  case "eth_maxPriorityFeePerGas" -> Reply.result(request, "\"0x0\"");
                  case "eth_call" -> Reply.result(request, "\"0x00ff\"");
                  default -> Reply.result(request, "\"0x1\"");
                });
    JsonRpcClient client = client(server);

    assertThat(client.gasPrice()).isEqualTo(BigInteger.valueOf(20_000_000_000L));
    assertThat(client.maxPriorityFeePerGas()).isZero();
    assertThat(client.call(EvmAddress.of(new byte[20]), new byte[] {1, 2})).containsExactly(0, 255);
    assertThat(server.requests().get(2).get("params").get(0).get("data").asText())
        .isEqualTo("0x0102");
    assertThat(server.requests().get(2).get("params").get(1).asText()).isEqualTo("latest");
  }

  @Test
  void broadcastsRawTransactionsAsHex() throws IOException {
    server = new FakeRpcServer(request -> Reply.result(request, "\"" + HASH + "\""));

    String hash = client(server).sendRawTransaction(new byte[] {0x76, 0x01});

    assertThat(hash).isEqualTo(HASH);
    assertThat(server.requests().get(0).get("params").get(0).asText()).isEqualTo("0x7601");
  }

  @Test
  void parsesReceiptsAndPendingTransactions() throws IOException {
    server = new FakeRpcServer(request -> Reply.result(request, RECEIPT));
    TransactionReceipt receipt = client(server).getTransactionReceipt(HASH).orElseThrow();

    assertThat(receipt.success()).isTrue();
    assertThat(receipt.blockNumber()).isEqualTo(436);
    assertThat(receipt.gasUsed()).isEqualTo(BigInteger.valueOf(21_000));
    assertThat(receipt.effectiveGasPrice()).isEqualTo(BigInteger.valueOf(20_000_000_000L));

    server.script(request -> Reply.result(request, "null"));
    assertThat(client(server).getTransactionReceipt(HASH)).isEmpty();

    server.script(
        request -> Reply.result(request, RECEIPT.replace("0x1\",\"block", "0x0\",\"block")));
    assertThat(client(server).getTransactionReceipt(HASH).orElseThrow().success()).isFalse();
  }

  @Test
  void rpcErrorsAreTypedAndDoNotLeakTheEndpointOrParameters() throws IOException {
    server = new FakeRpcServer(request -> Reply.error(request, -32000, "nonce too low"));

    assertThatThrownBy(() -> client(server).sendRawTransaction(new byte[] {0x76, 0x55, 0x66}))
        .isInstanceOfSatisfying(
            JsonRpcException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.RPC_ERROR);
              assertThat(e.rpcCode()).hasValue(-32000);
              assertThat(e.outcomeUnknown()).isFalse();
              assertThat(e.getMessage())
                  .contains("eth_sendRawTransaction", "nonce too low")
                  .doesNotContain("SECRET-API-KEY", "765566");
            });
  }

  @Test
  void nonJsonHttpErrorsAreHttpStatusFailures() throws IOException {
    server = new FakeRpcServer(request -> new Reply(503, "<html>busy</html>", 0));

    assertThatThrownBy(() -> client(server).blockNumber())
        .isInstanceOfSatisfying(
            JsonRpcException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
              assertThat(e.httpStatus()).hasValue(503);
              assertThat(e.outcomeUnknown()).isTrue();
            });

    server.script(request -> new Reply(429, "slow down", 0));
    assertThatThrownBy(() -> client(server).blockNumber())
        .isInstanceOfSatisfying(
            JsonRpcException.class, e -> assertThat(e.outcomeUnknown()).isFalse());
  }

  @Test
  void malformedResponsesAreRejected() throws IOException {
    server =
        new FakeRpcServer(
            request -> new Reply(200, "{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":\"0x1\"}", 0));
    assertThatThrownBy(() -> client(server).chainId())
        .isInstanceOfSatisfying(
            JsonRpcException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE));

    server.script(request -> Reply.result(request, "\"12\""));
    assertThatThrownBy(() -> client(server).chainId())
        .isInstanceOfSatisfying(
            JsonRpcException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE));

    server.script(request -> Reply.result(request, "\"0xabcd\""));
    assertThatThrownBy(() -> client(server).sendRawTransaction(new byte[] {1}))
        .isInstanceOfSatisfying(
            JsonRpcException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE));
  }

  @Test
  void slowNodesTimeOutWithUnknownOutcome() throws IOException {
    server = new FakeRpcServer(request -> new Reply(200, "{}", 1_000));
    JsonRpcClient client =
        JsonRpcClient.builder(server.uri()).requestTimeout(Duration.ofMillis(100)).build();

    assertThatThrownBy(() -> client.sendRawTransaction(new byte[] {1}))
        .isInstanceOfSatisfying(
            JsonRpcException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
              assertThat(e.outcomeUnknown()).isTrue();
            });
  }

  @Test
  void unreachableNodesAreTransportFailures() throws IOException {
    FakeRpcServer closed = new FakeRpcServer(request -> null);
    URI uri = closed.uri();
    closed.close();

    assertThatThrownBy(() -> JsonRpcClient.create(uri).chainId())
        .isInstanceOfSatisfying(
            JsonRpcException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.TRANSPORT);
              assertThat(e.getMessage()).doesNotContain("SECRET-API-KEY", "127.0.0.1");
            });
  }

  @Test
  void waitForReceiptPollsThroughPendingAndTransientErrors() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    server =
        new FakeRpcServer(
            request ->
                switch (calls.incrementAndGet()) {
                  case 1 -> Reply.result(request, "null");
                  case 2 -> new Reply(502, "bad gateway", 0);
                  case 3 -> Reply.error(request, -32603, "internal");
                  default -> Reply.result(request, RECEIPT);
                });

    TransactionReceipt receipt =
        client(server).waitForReceipt(HASH, Duration.ofSeconds(5)).orElseThrow();

    assertThat(receipt.transactionHash()).isEqualTo(HASH);
    assertThat(calls.get()).isEqualTo(4);
  }

  @Test
  void waitForReceiptGivesUpAtTheDeadline() throws IOException {
    server = new FakeRpcServer(request -> Reply.result(request, "null"));

    assertThat(client(server).waitForReceipt(HASH, Duration.ofMillis(150))).isEmpty();
    assertThat(server.requests().size()).isGreaterThan(1);
  }

  @Test
  void waitForReceiptStopsWhenInterrupted() throws IOException {
    server = new FakeRpcServer(request -> Reply.result(request, "null"));
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> client(server).waitForReceipt(HASH, Duration.ofSeconds(5)))
          .isInstanceOfSatisfying(
              JsonRpcException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INTERRUPTED));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void toStringHidesPathAndQuery() throws IOException {
    server = new FakeRpcServer(request -> null);

    assertThat(client(server).toString()).isEqualTo("JsonRpcClient[http://127.0.0.1]");
  }
}
