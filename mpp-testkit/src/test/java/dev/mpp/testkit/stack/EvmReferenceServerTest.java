package dev.mpp.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.client.Exchange;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentResult;
import dev.mpp.client.PaymentState;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.rail.evm.EvmRail;
import dev.mpp.rail.evm.EvmToken;
import dev.mpp.testkit.evm.Eip3009TestToken;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.price.Prices;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The EVM rail against the reference server: mppx 0.11.0's {@code evm/charge} ({@code
 * examples/mpp-server/evm-server.mjs}) verifies the authorization credential the wallet builds
 * (domain, challenge-hash nonce, amount, recipient, validity, {@code source}) and settles it on a
 * local chain with the checked-in EIP-3009 test token.
 */
class EvmReferenceServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BigInteger SUPPLY = BigInteger.valueOf(1_000_000_000L);
  private static final BigInteger PRICE = BigInteger.valueOf(1_500_000); // 1.5 tokens
  private static final DevAccount DEPLOYER = DevAccount.get(0);
  private static final DevAccount PAYER = DevAccount.get(3);
  private static final DevAccount SETTLER = DevAccount.get(4);
  private static final DevAccount RECIPIENT = DevAccount.get(5);

  private static LocalChain chain;
  private static String token;
  private static ManagedProcess server;
  private static URI url;

  @BeforeAll
  static void startChainAndServer() {
    chain = LocalChain.start();
    token = Eip3009TestToken.deploy(chain, DEPLOYER, "Test USD", "1", PAYER.address(), SUPPLY);
    StackEnvironment env = StackEnvironment.detect();
    env.requireServerInstalled();
    server =
        ManagedProcess.start(
            "evm-server",
            List.of(
                env.nodeExecutable().toString(),
                env.serverDir().resolve("evm-server.mjs").toString(),
                "--rpc-url",
                chain.rpcUrl().toString(),
                "--chain-id",
                Long.toString(chain.chainId()),
                "--token",
                token,
                "--name",
                "Test USD",
                "--version",
                "1",
                "--recipient",
                RECIPIENT.address(),
                "--settler",
                SETTLER.address(),
                "--amount",
                "1.5"),
            env.serverDir(),
            Map.of(),
            env.logDir());
    JsonNode ready =
        server.awaitLogLine(EvmReferenceServerTest::readyLine, Duration.ofSeconds(60), "ready");
    url = URI.create("http://127.0.0.1:" + ready.path("port").asInt() + "/evm/charge");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (chain != null) {
      chain.close();
    }
  }

  private static Optional<JsonNode> readyLine(String line) {
    if (!line.startsWith("{\"ready\":")) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(line));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Wallet wallet() {
    EvmRail rail =
        EvmRail.builder()
            .signer(PrivateKeySigner.of(PAYER.privateKeyHex().toCharArray()))
            .chain(chain.chainId(), JsonRpcClient.create(chain.rpcUrl()))
            .tokens(EvmToken.withOnChainDomain(chain.chainId(), token, 6))
            .build();
    return Wallet.builder()
        .ledger(new InMemoryLedgerStore())
        .rail(rail)
        .prices(Prices.builder().stablecoin(token, 6).build())
        .agent("bot-1", Policy.builder().cap(Window.DAY, "10.00").build())
        .build();
  }

  @Test
  void referenceServerVerifiesAndSettlesTheAuthorizationOnce() throws Exception {
    BigInteger payerBefore = chain.balanceOf(token, PAYER.address());
    BigInteger recipientBefore = chain.balanceOf(token, RECIPIENT.address());
    RecordingExchange exchange = new RecordingExchange(url);

    PaymentResult<HttpResponse<String>> result;
    try (Wallet wallet = wallet()) {
      result =
          PaymentFlow.builder(wallet)
              .agent("bot-1")
              .build()
              .execute(PaymentContext.of(url, "GET", "bot-1"), exchange);
    }

    assertThat(result.response().statusCode()).as(result.response().body()).isEqualTo(200);
    PaymentRecord record = result.paymentRecord().orElseThrow();
    assertThat(record.state()).isEqualTo(PaymentState.PAID);
    assertThat(record.method()).isEqualTo("evm");
    assertThat(record.amount()).isEqualTo(PRICE);
    assertThat(record.usdMicros()).isEqualTo(1_500_000);
    String txHash = record.reference();
    assertThat(txHash).matches("0x[0-9a-f]{64}");
    assertThat(chain.receipt(txHash).orElseThrow().success()).isTrue();
    assertThat(chain.balanceOf(token, PAYER.address())).isEqualTo(payerBefore.subtract(PRICE));
    assertThat(chain.balanceOf(token, RECIPIENT.address())).isEqualTo(recipientBefore.add(PRICE));

    // The same credential again: the server refuses it and nothing moves.
    String credential = exchange.authorizations.get(0);
    HttpResponse<String> replay = exchange.send(Map.of("Authorization", credential));
    assertThat(replay.statusCode()).isNotEqualTo(200);
    assertThat(chain.balanceOf(token, PAYER.address())).isEqualTo(payerBefore.subtract(PRICE));
    assertThat(chain.balanceOf(token, RECIPIENT.address())).isEqualTo(recipientBefore.add(PRICE));
  }

  /** The flow over java.net.http, remembering every credential it sent. */
  private static final class RecordingExchange implements Exchange<HttpResponse<String>> {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI url;
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    RecordingExchange(URI url) {
      this.url = url;
    }

    @Override
    public HttpResponse<String> send(Map<String, String> headers) throws IOException {
      HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
      headers.forEach(request::header);
      if (headers.containsKey("Authorization")) {
        authorizations.add(headers.get("Authorization"));
      }
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    @Override
    public int status(HttpResponse<String> response) {
      return response.statusCode();
    }

    @Override
    public List<String> headers(HttpResponse<String> response, String name) {
      return new ArrayList<>(response.headers().allValues(name));
    }

    @Override
    public URI url(HttpResponse<String> response) {
      return response.uri();
    }

    @Override
    public byte[] peekBody(HttpResponse<String> response, int maxBytes) {
      byte[] body = response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return Arrays.copyOf(body, Math.min(body.length, maxBytes));
    }

    @Override
    public void discard(HttpResponse<String> response) {}
  }
}
