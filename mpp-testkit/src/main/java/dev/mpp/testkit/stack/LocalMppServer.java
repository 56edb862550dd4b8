package dev.mpp.testkit.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The reference MPP server ({@code examples/mpp-server/server.mjs}, npm {@code mppx@0.11.0}) on a
 * free loopback port, settling on a {@link LocalChain}.
 *
 * <p>Tempo routes pay {@link #RECIPIENT}; {@link ServerRoute#TEMPO_SPONSORED} fees are paid by
 * {@link #FEE_PAYER}. Dev accounts 0-7 are free for payers. Each server generates a random
 * challenge-binding key, so challenges never verify across restarts.
 *
 * <p>Thread-safe.
 */
public final class LocalMppServer implements AutoCloseable {

  /** The realm of every challenge (also the server id in Tempo attribution memos). */
  public static final String REALM = "mpp-local";

  /** Default key of the {@code test} method's HMAC ({@code MPP_TEST_SECRET}). */
  public static final String DEFAULT_TEST_SECRET = "test-secret";

  /** The account Tempo routes pay. */
  public static final DevAccount RECIPIENT = DevAccount.get(9);

  /**
   * The account that sponsors fees on {@link ServerRoute#TEMPO_SPONSORED}; it also deploys {@link
   * #EVM_TOKEN} and settles {@link ServerRoute#EVM_CHARGE} authorizations.
   */
  public static final DevAccount FEE_PAYER = DevAccount.get(8);

  /**
   * The EIP-3009 test token ({@code examples/mpp-server/contracts/Eip3009TestToken.sol}, 6
   * decimals, EIP-712 domain name {@value #EVM_TOKEN_NAME}, version {@value #EVM_TOKEN_VERSION})
   * the server deploys at startup through anvil's CREATE2 deployer, so its address never changes.
   * Dev accounts 0-7 each hold {@link #EVM_TOKEN_GRANT} base units of it.
   */
  public static final String EVM_TOKEN = "0xd2ef8CB9B40299D76a064c3eE58e19463d6Daf1C";

  /** The EIP-712 domain name of {@link #EVM_TOKEN}. */
  public static final String EVM_TOKEN_NAME = "Test USD";

  /** The EIP-712 domain version of {@link #EVM_TOKEN}. */
  public static final String EVM_TOKEN_VERSION = "1";

  /** What each of dev accounts 0-7 holds of {@link #EVM_TOKEN} after startup (10^6 tokens). */
  public static final BigInteger EVM_TOKEN_GRANT = BigInteger.TEN.pow(12);

  /** The Stripe {@code networkId} of {@link ServerRoute#STRIPE_CHARGE}. */
  public static final String STRIPE_NETWORK_ID = "mpp-local";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

  /** The suggested deposit of {@link ServerRoute#TEMPO_SESSION}: 1 pathUSD. */
  public static final long SESSION_SUGGESTED_DEPOSIT = 1_000_000;

  private final ManagedProcess process;
  private final URI baseUrl;
  private final String testSecret;
  private final String escrow;

  private LocalMppServer(ManagedProcess process, URI baseUrl, String testSecret, String escrow) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.testSecret = testSecret;
    this.escrow = escrow;
  }

  /** Starts a server on {@code chain} with the default test secret. */
  public static LocalMppServer start(LocalChain chain) {
    return start(chain.rpcUrl(), DEFAULT_TEST_SECRET, DEFAULT_STARTUP_TIMEOUT);
  }

  static LocalMppServer start(URI rpcUrl, Duration startupTimeout) {
    return start(rpcUrl, DEFAULT_TEST_SECRET, startupTimeout);
  }

  /**
   * Starts a server settling on the chain at {@code rpcUrl}.
   *
   * @param rpcUrl JSON-RPC endpoint of a chain with id {@link LocalChain#CHAIN_ID}
   * @param testSecret HMAC key of the {@code test} method
   * @param startupTimeout how long to wait for the ready line
   * @throws StackUnavailableException if Node.js or the server's packages are missing, or the
   *     server exits or is not ready in time
   */
  public static LocalMppServer start(URI rpcUrl, String testSecret, Duration startupTimeout) {
    Objects.requireNonNull(rpcUrl, "rpcUrl");
    Objects.requireNonNull(testSecret, "testSecret");
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    StackEnvironment env = StackEnvironment.detect();
    String node = env.nodeExecutable().toString();
    env.requireServerInstalled();
    ManagedProcess process =
        ManagedProcess.start(
            "mpp-server",
            List.of(
                node, env.serverScript().toString(), "--rpc-url", rpcUrl.toString(), "--port", "0"),
            env.serverDir(),
            // Every setting explicit: an MPP_* variable in the caller's environment must not
            // silently change what the constants of this class promise.
            Map.of(
                "MPP_TEST_SECRET",
                testSecret,
                "MPP_REALM",
                REALM,
                "MPP_HOST",
                "127.0.0.1",
                "MPP_CHAIN_ID",
                Long.toString(LocalChain.CHAIN_ID),
                "MPP_RECIPIENT",
                RECIPIENT.address(),
                "MPP_FEE_PAYER_KEY",
                FEE_PAYER.privateKeyHex()),
            env.logDir());
    JsonNode ready =
        process.awaitLogLine(LocalMppServer::readyLine, startupTimeout, "its ready line");
    int port = ready.path("port").asInt(-1);
    if (port <= 0 || port > 65535) {
      throw process.failStartup("ready line has no valid port: " + ready, null);
    }
    String token = ready.path("evm").path("token").asText();
    if (!token.equals(EVM_TOKEN)) {
      throw process.failStartup("server deployed the EVM test token at " + token, null);
    }
    String escrow = ready.path("escrow").asText("");
    if (!escrow.matches("0x[0-9a-fA-F]{40}")) {
      throw process.failStartup("ready line has no escrow address: " + ready, null);
    }
    return new LocalMppServer(process, URI.create("http://127.0.0.1:" + port), testSecret, escrow);
  }

  private static Optional<JsonNode> readyLine(String line) {
    if (!line.startsWith("{\"ready\":")) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(line);
      return node.path("ready").asBoolean(false) ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:41234}. */
  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * The absolute URL of {@code route}.
   *
   * @param route a path starting with {@code /}, e.g. {@code /tempo/charge}
   */
  public URI url(String route) {
    Objects.requireNonNull(route, "route");
    if (!route.startsWith("/")) {
      throw new IllegalArgumentException("route must start with '/': " + route);
    }
    return baseUrl.resolve(route);
  }

  /** The absolute URL of a known route. */
  public URI url(ServerRoute route) {
    return url(route.path());
  }

  /** Always {@link #REALM}. */
  public String realm() {
    return REALM;
  }

  /** The address Tempo routes pay ({@link #RECIPIENT}). */
  public String recipient() {
    return RECIPIENT.address();
  }

  /**
   * The v1 session escrow ({@code examples/mpp-server/contracts/TempoStreamChannel.sol}) the server
   * deployed at startup, lowercase hex.
   */
  public String escrow() {
    return escrow.toLowerCase(java.util.Locale.ROOT);
  }

  /** The address that sponsors fees ({@link #FEE_PAYER}). */
  public String feePayer() {
    return FEE_PAYER.address();
  }

  /**
   * The {@code mac} a valid {@code test}-method credential carries for {@code challengeId}:
   * lowercase hex HMAC-SHA256 keyed with this server's test secret over the UTF-8 challenge id.
   */
  public String testMac(String challengeId) {
    Objects.requireNonNull(challengeId, "challengeId");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(testSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(challengeId.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Whether the server process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The server's process id. */
  public long pid() {
    return process.pid();
  }

  /** The server's log file: the ready line, one JSON line per request, and errors. */
  public java.nio.file.Path log() {
    return process.log();
  }

  /** Stops the server (SIGTERM, then SIGKILL after a grace period). Idempotent. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return "LocalMppServer[" + baseUrl + ", " + process + "]";
  }
}
