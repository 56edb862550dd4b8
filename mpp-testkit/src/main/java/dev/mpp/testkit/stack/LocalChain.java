package dev.mpp.testkit.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Tempo chain: anvil in Tempo mode (chain id 1337, hardfork T4, one block per second) on a
 * free loopback port.
 *
 * <p>The chain predeploys the TIP-20 stablecoins {@link #PATH_USD}, {@link #ALPHA_USD}, {@link
 * #BETA_USD} and {@link #THETA_USD} (6 decimals) and funds every {@link DevAccount} with each.
 * Tempo transactions (type {@code 0x76}, fee payer {@code 0x78}) are accepted.
 *
 * <p>{@link #start()} returns once the chain has mined block 1: on the default settings a fresh
 * chain drops a second expiring-nonce transaction per account, and without a block time the head
 * timestamp goes stale, which breaks expiring nonces. {@link #close()} stops anvil.
 *
 * <p>Thread-safe.
 */
public final class LocalChain implements AutoCloseable {

  /** The chain id anvil is started with. */
  public static final long CHAIN_ID = 1337;

  /** pathUSD, the quote stablecoin and default fee token (TIP-20, 6 decimals). */
  public static final String PATH_USD = "0x20c0000000000000000000000000000000000000";

  /** AlphaUSD (TIP-20, 6 decimals). */
  public static final String ALPHA_USD = "0x20c0000000000000000000000000000000000001";

  /** BetaUSD (TIP-20, 6 decimals). */
  public static final String BETA_USD = "0x20c0000000000000000000000000000000000002";

  /** ThetaUSD (TIP-20, 6 decimals). */
  public static final String THETA_USD = "0x20c0000000000000000000000000000000000003";

  /** Decimals of every TIP-20 stablecoin above. */
  public static final int TOKEN_DECIMALS = 6;

  private static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RECEIPT_POLL = Duration.ofMillis(100);
  private static final Pattern LISTENING = Pattern.compile("Listening on (127\\.0\\.0\\.1:\\d+)");
  private static final String BALANCE_OF = "0x70a08231";

  private final ManagedProcess process;
  private final URI rpcUrl;
  private final JsonRpcClient rpc;

  private LocalChain(ManagedProcess process, URI rpcUrl) {
    this.process = process;
    this.rpcUrl = rpcUrl;
    this.rpc = new JsonRpcClient(rpcUrl);
  }

  /** Starts a chain, waiting up to 60 seconds for block 1. */
  public static LocalChain start() {
    return start(DEFAULT_STARTUP_TIMEOUT);
  }

  /**
   * Starts a chain, waiting up to {@code startupTimeout} for it to listen and mine block 1.
   *
   * @throws StackUnavailableException if the anvil binary is not installed, or anvil exits or is
   *     not ready in time
   */
  public static LocalChain start(Duration startupTimeout) {
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    LocalChain chain = launch(startupTimeout);
    chain.awaitReady(remaining(deadline));
    return chain;
  }

  /**
   * Starts anvil and returns as soon as its RPC port is known, before block 1; callers must {@link
   * #awaitReady} before any payment. Lets {@link LocalStack} boot the server meanwhile.
   */
  static LocalChain launch(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    StackEnvironment env = StackEnvironment.detect();
    Path anvil = env.anvilBinary();
    ManagedProcess process =
        ManagedProcess.start(
            "anvil",
            List.of(
                anvil.toString(),
                "--network",
                "tempo",
                "--hardfork",
                "t4",
                "--chain-id",
                Long.toString(CHAIN_ID),
                "--block-time",
                "1",
                "--host",
                "127.0.0.1",
                // Port 0: anvil binds a free port itself and logs it, so no probe-then-bind race.
                "--port",
                "0"),
            env.serverDir(),
            Map.of(),
            env.logDir());
    String hostPort =
        process.awaitLogLine(
            line -> {
              Matcher m = LISTENING.matcher(line);
              return m.find() ? Optional.of(m.group(1)) : Optional.empty();
            },
            timeout,
            "its RPC port");
    return new LocalChain(process, URI.create("http://" + hostPort));
  }

  /** Waits for block 1 and checks the chain id; stops anvil and throws if either fails. */
  void awaitReady(Duration timeout) {
    try {
      awaitBlock(1, timeout);
      long reported = Hex.toLong(rpc("eth_chainId").asText());
      if (reported != CHAIN_ID) {
        throw new IllegalStateException("anvil reports chain id " + reported);
      }
    } catch (RuntimeException e) {
      throw process.failStartup("not ready: " + e.getMessage(), e);
    }
  }

  private static Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  /** The JSON-RPC endpoint, e.g. {@code http://127.0.0.1:41234}. */
  public URI rpcUrl() {
    return rpcUrl;
  }

  /** Always {@link #CHAIN_ID}. */
  public long chainId() {
    return CHAIN_ID;
  }

  /** The ten funded dev accounts. */
  public List<DevAccount> devAccounts() {
    return DevAccount.all();
  }

  /** The funded dev account at {@code index} (0-9). */
  public DevAccount devAccount(int index) {
    return DevAccount.get(index);
  }

  /**
   * Calls any JSON-RPC method and returns its {@code result} (possibly JSON null).
   *
   * @throws JsonRpcException on an error object or transport failure
   */
  public JsonNode rpc(String method, Object... params) {
    return rpc.call(method, params);
  }

  /** The latest block number. */
  public long blockNumber() {
    return Hex.toLong(rpc("eth_blockNumber").asText());
  }

  /**
   * Polls until the chain has mined block {@code number}.
   *
   * @throws StackUnavailableException if it has not within {@code timeout}
   */
  public void awaitBlock(long number, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (blockNumber() >= number) {
          return;
        }
      } catch (JsonRpcException e) {
        // anvil logs "Listening" just before it serves; retry until the deadline
      }
      if (System.nanoTime() - deadline > 0) {
        throw new StackUnavailableException(
            "chain did not reach block " + number + " within " + timeout);
      }
      ManagedProcess.sleep(RECEIPT_POLL);
    }
  }

  /** {@code eth_call} against the latest block; returns the hex result. */
  public String call(String to, String data) {
    Hex.requireAddress(to, "to");
    Hex.requireData(data, "data");
    return rpc("eth_call", Map.of("to", to, "data", data), "latest").asText();
  }

  /** The TIP-20 (ERC-20) balance of {@code account} in {@code token}, in base units. */
  public BigInteger balanceOf(String token, String account) {
    Hex.requireAddress(token, "token");
    Hex.requireAddress(account, "account");
    return Hex.toBigInteger(call(token, BALANCE_OF + Hex.addressWord(account)));
  }

  /**
   * Sends a transaction signed by anvil itself ({@code eth_sendTransaction}; dev accounts are
   * unlocked); returns its hash. Handy for setup such as contract deployment ({@code to} null) or a
   * plain token transfer, not for exercising a client's signing code.
   *
   * @param from the sending dev account
   * @param to the callee, or {@code null} to deploy {@code data} as a contract
   * @param data calldata or init code, {@code 0x}-prefixed
   */
  public String sendTransaction(DevAccount from, String to, String data) {
    Objects.requireNonNull(from, "from");
    Hex.requireData(data, "data");
    Map<String, String> tx = new java.util.LinkedHashMap<>();
    tx.put("from", from.address());
    if (to != null) {
      tx.put("to", Hex.requireAddress(to, "to"));
    }
    tx.put("data", data);
    return rpc("eth_sendTransaction", tx).asText();
  }

  /** Broadcasts a signed transaction; returns its hash. */
  public String sendRawTransaction(String signedTransactionHex) {
    Hex.requireData(signedTransactionHex, "signed transaction");
    return rpc("eth_sendRawTransaction", signedTransactionHex).asText();
  }

  /** The receipt of {@code transactionHash}, if it has been mined. */
  public Optional<TransactionReceipt> receipt(String transactionHash) {
    JsonNode receipt = rpc("eth_getTransactionReceipt", transactionHash);
    return receipt == null || receipt.isNull()
        ? Optional.empty()
        : Optional.of(TransactionReceipt.fromJson(receipt));
  }

  /**
   * Polls for the receipt of {@code transactionHash}.
   *
   * @throws StackUnavailableException if none appears within {@code timeout}
   */
  public TransactionReceipt waitForReceipt(String transactionHash, Duration timeout) {
    Objects.requireNonNull(transactionHash, "transactionHash");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<TransactionReceipt> receipt = receipt(transactionHash);
      if (receipt.isPresent()) {
        return receipt.get();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new StackUnavailableException(
            "no receipt for " + transactionHash + " within " + timeout);
      }
      ManagedProcess.sleep(RECEIPT_POLL);
    }
  }

  /** Whether anvil is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** anvil's process id. */
  public long pid() {
    return process.pid();
  }

  /** anvil's log file (stdout and stderr). */
  public Path log() {
    return process.log();
  }

  /** Stops anvil (SIGTERM, then SIGKILL after a grace period). Idempotent. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return "LocalChain[" + rpcUrl + ", chainId " + CHAIN_ID + ", " + process + "]";
  }
}
