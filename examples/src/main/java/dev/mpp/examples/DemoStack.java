package dev.mpp.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.evm.signer.Signer;
import dev.mpp.rail.tempo.TempoChargeRail;
import dev.mpp.rail.tempo.TempoConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fleet demo's view of the local stack ({@code node examples/mpp-server/stack.mjs}: anvil in
 * Tempo mode, chain 1337, and the reference MPP server): where it runs, the rail that pays it, and
 * the balances that show what moved.
 *
 * <p>Command line: {@code --server URL --rpc-url URL} (what {@code stack.mjs} prints as {@code
 * serverUrl} and {@code rpcUrl}); or the environment variables {@code MPP_SERVER_URL} and {@code
 * MPP_RPC_URL}. The payer key comes from {@code MPP_PRIVATE_KEY}, defaulting to anvil's well-known
 * dev account 0: a public test key that only ever holds test money on a local chain.
 *
 * @param server the reference server's base URL
 * @param rpcUrl the chain's JSON-RPC endpoint
 * @param options every other {@code --name value} option given
 */
record DemoStack(URI server, URI rpcUrl, Map<String, String> options) {
  /** The local chain's id. */
  static final long CHAIN_ID = 1337;

  /** pathUSD, the Tempo stablecoin the local routes charge (6 decimals). */
  static final EvmAddress PATH_USD = EvmAddress.parse("0x20c0000000000000000000000000000000000000");

  /** AlphaUSD, a second Tempo stablecoin, offered on {@code /multi}. */
  static final EvmAddress ALPHA_USD =
      EvmAddress.parse("0x20c0000000000000000000000000000000000001");

  // anvil dev account 0 of the mnemonic "test test ... junk": public, for local chains only.
  private static final String DEV_ACCOUNT_0_KEY =
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** keccak256("Transfer(address,address,uint256)"). */
  private static final String TRANSFER_TOPIC =
      "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

  /** Reads the options; fails with usage text when the stack's URLs are missing. */
  static DemoStack fromArgs(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw usage("unexpected argument: " + args[i]);
      }
      options.put(args[i].substring(2), args[++i]);
    }
    String server = options.getOrDefault("server", System.getenv("MPP_SERVER_URL"));
    String rpc = options.getOrDefault("rpc-url", System.getenv("MPP_RPC_URL"));
    if (server == null || rpc == null) {
      throw usage("the local stack's URLs are missing");
    }
    return new DemoStack(URI.create(server), URI.create(rpc), Map.copyOf(options));
  }

  private static IllegalArgumentException usage(String problem) {
    return new IllegalArgumentException(
        problem
            + "\nusage: --server http://127.0.0.1:PORT --rpc-url http://127.0.0.1:PORT"
            + " (start the stack with: node examples/mpp-server/stack.mjs)");
  }

  /** The URL of a route, e.g. {@code /tempo/charge}. */
  URI url(String path) {
    return server.resolve(path);
  }

  /** The payer's signer: {@code MPP_PRIVATE_KEY}, or dev account 0 of the local chain. */
  static Signer payer() {
    String key = System.getenv("MPP_PRIVATE_KEY");
    return PrivateKeySigner.of(
        (key == null || key.isBlank() ? DEV_ACCOUNT_0_KEY : key).toCharArray());
  }

  /** A Tempo rail paying pathUSD and AlphaUSD on the local chain, in pull mode. */
  TempoChargeRail tempoRail(Signer payer) {
    TempoConfig config = TempoConfig.builder(CHAIN_ID).asset(PATH_USD).asset(ALPHA_USD).build();
    return TempoChargeRail.builder(config, payer).rpc(JsonRpcClient.create(rpcUrl)).build();
  }

  /** The address the server's routes pay, from its {@code GET /routes} listing. */
  String recipient() {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(url("/routes")).build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode listing = JSON.readTree(response.body());
      return listing.path("recipient").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code token.balanceOf(account)} on the local chain, in base units. */
  BigInteger balanceOf(EvmAddress token, String account) {
    byte[] data = new byte[36]; // balanceOf(address): selector, then the address in 32 bytes
    System.arraycopy(HexFormat.of().parseHex("70a08231"), 0, data, 0, 4);
    System.arraycopy(EvmAddress.parse(account).toBytes(), 0, data, 16, 20);
    return new BigInteger(1, JsonRpcClient.create(rpcUrl).call(token, data));
  }

  /**
   * What {@code token} moved from {@code from} to {@code to} inside one mined transaction, summed
   * from its ERC-20 {@code Transfer} logs (so fees, paid separately, do not blur the figure).
   */
  BigInteger transferred(String txHash, EvmAddress token, String from, String to) {
    JsonRpcClient rpc = JsonRpcClient.create(rpcUrl);
    rpc.waitForReceipt(txHash, java.time.Duration.ofSeconds(30))
        .orElseThrow(() -> new IllegalStateException(txHash + " was not mined within 30 s"));
    JsonNode receipt = rpc.send("eth_getTransactionReceipt", txHash);
    BigInteger total = BigInteger.ZERO;
    for (JsonNode log : receipt.path("logs")) {
      JsonNode topics = log.path("topics");
      if (EvmAddress.parse(log.path("address").asText()).equals(token)
          && TRANSFER_TOPIC.equals(topics.path(0).asText())
          && topicAddress(topics.path(1)).equals(EvmAddress.parse(from))
          && topicAddress(topics.path(2)).equals(EvmAddress.parse(to))) {
        total = total.add(new BigInteger(log.path("data").asText().substring(2), 16));
      }
    }
    return total;
  }

  private static EvmAddress topicAddress(JsonNode topic) {
    return EvmAddress.parse("0x" + topic.asText().substring(26));
  }
}
