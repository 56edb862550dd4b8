package dev.mpp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.signer.KeystoreSigner;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.evm.signer.Signer;
import dev.mpp.ledger.jdbc.SqliteLedgerStore;
import dev.mpp.rail.stripe.StripeRail;
import dev.mpp.rail.stripe.StripeSecretKey;
import dev.mpp.rail.tempo.TempoChargeRail;
import dev.mpp.rail.tempo.TempoConfig;
import dev.mpp.rail.tempo.TempoMode;
import dev.mpp.rail.tempo.session.JdbcChannelStore;
import dev.mpp.rail.tempo.session.SessionProtocol;
import dev.mpp.rail.tempo.session.TempoSessionConfig;
import dev.mpp.rail.tempo.session.TempoSessionRail;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.policy.AgentPolicy;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.PolicySet;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.price.Prices;
import dev.mpp.wallet.rail.Rail;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The wallet a command pays from: ledger file, agent, keys, rails and spending policy. Policy flags
 * given to {@code fetch} are remembered beside the ledger (in {@code <wallet>.policy.json}) so that
 * {@code budget} and later calls see the same caps.
 */
final class WalletOptions {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Applied when no policy was ever configured: a CLI must not pay without any bound. */
  static final String DEFAULT_MAX_PER_PAYMENT = "1.00";

  @Option(
      names = "--wallet",
      paramLabel = "PATH",
      description = "SQLite ledger file (default: ~/.mpp/wallet.db).")
  Path wallet;

  @Option(names = "--agent", paramLabel = "NAME", description = "Agent name (default: default).")
  String agent = "default";

  @Option(names = "--fleet", paramLabel = "NAME", description = "Fleet the agent belongs to.")
  String fleet;

  @Option(
      names = "--keystore",
      paramLabel = "FILE",
      description = "Encrypted JSON keystore (password from env MPP_KEYSTORE_PASSWORD).")
  Path keystore;

  @Option(names = "--rpc-url", paramLabel = "URL", description = "JSON-RPC endpoint (Tempo).")
  URI rpcUrl;

  @Option(names = "--chain-id", paramLabel = "N", description = "Chain id (Tempo: 4217 mainnet).")
  Long chainId;

  @Option(names = "--fee-token", paramLabel = "ADDR", description = "Token paying Tempo fees.")
  String feeToken;

  @Option(
      names = "--stripe-payment-method",
      paramLabel = "pm_…",
      description = "Saved Stripe payment method (secret key from env MPP_STRIPE_SECRET_KEY).")
  String stripePaymentMethod;

  @Option(names = "--stripe-api-base", paramLabel = "URL", description = "Stripe API base URL.")
  URI stripeApiBase;

  @Option(
      names = "--card",
      paramLabel = "FILE",
      description =
          "Card JSON for card/charge (network, last four, expiry, billing, token source).")
  Path cardFile;

  @Option(names = "--max-per-payment", paramLabel = "AMOUNT", description = "e.g. 0.05usd")
  String maxPerPayment;

  @Option(names = "--max-per-day", paramLabel = "AMOUNT", description = "Rolling 24 h cap.")
  String maxPerDay;

  @Option(names = "--max-total", paramLabel = "AMOUNT", description = "All-time cap.")
  String maxTotal;

  @Option(
      names = "--allow-origin",
      paramLabel = "PATTERN",
      description = "Allowed origin host pattern, e.g. *.example.com (repeatable).")
  List<String> allowOrigins = new ArrayList<>();

  @Option(names = "--policy", paramLabel = "FILE", description = "Policy JSON (see README).")
  Path policyFile;

  @Option(
      names = "--max-lockable",
      paramLabel = "AMOUNT",
      description = "Most a session channel may keep deposited and unspent, e.g. 2.00usd.")
  String maxLockable;

  @Option(
      names = "--trust-escrow",
      paramLabel = "ADDR",
      description =
          "A v1 session escrow contract to deposit into (repeatable; the TIP-1034 precompile is"
              + " trusted for v2 sessions).")
  List<String> trustedEscrows = new ArrayList<>();

  /** Closed with the wallet: the session channel store opened for {@link #open}. */
  private JdbcChannelStore channelStore;

  private TempoSessionRail sessionRail;

  Path walletPath() {
    return wallet != null ? wallet : Path.of(System.getProperty("user.home"), ".mpp", "wallet.db");
  }

  private Path settingsPath() {
    return Path.of(walletPath() + ".policy.json");
  }

  private boolean hasPolicyFlags() {
    return maxPerPayment != null
        || maxLockable != null
        || maxPerDay != null
        || maxTotal != null
        || !allowOrigins.isEmpty()
        || policyFile != null
        || fleet != null;
  }

  /** Opens the wallet with the rails the given keys and flags configure. */
  Wallet open(boolean remember) {
    return open(remember, true);
  }

  /** Opens the wallet; without rails it can only report (budget, previews of nothing). */
  Wallet open(boolean remember, boolean withRails) {
    Path ledgerFile = walletPath();
    ObjectNode settings = loadSettings();
    if (hasPolicyFlags()) {
      settings.set(agent, currentSettings());
      if (remember) {
        saveSettings(settings);
      }
    }
    JsonNode mine = settings.get(agent);
    try {
      Path parent = ledgerFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw usage("cannot create the wallet directory for " + ledgerFile);
    }
    SqliteLedgerStore ledger = SqliteLedgerStore.open(ledgerFile);
    try {
      List<Rail> rails = withRails ? rails(ledger) : List.of(ReportingRail.INSTANCE);
      Wallet.Builder builder = Wallet.builder().prices(Prices.defaults()).rails(rails);
      applyPolicy(builder, mine);
      return builder.ledger(ledger).build();
    } catch (RuntimeException e) {
      closeSessions();
      ledger.close();
      throw e;
    }
  }

  /** The session rail of the last {@link #open}, if a key configured one. */
  java.util.Optional<TempoSessionRail> sessionRail() {
    return java.util.Optional.ofNullable(sessionRail);
  }

  /**
   * Closes the channel store {@link #open} opened (call after closing the wallet). Channels stay
   * open on chain for later runs; {@code mpp session close} closes them.
   */
  void closeSessions() {
    if (channelStore != null) {
      channelStore.close();
      channelStore = null;
      sessionRail = null;
    }
  }

  private void applyPolicy(Wallet.Builder builder, JsonNode mine) {
    String fleetName = mine == null ? null : text(mine, "fleet");
    PolicySet set = null;
    if (mine != null && mine.hasNonNull("policyFile")) {
      set = PolicySet.load(Path.of(mine.get("policyFile").asText()));
      builder.policies(set);
    }
    boolean flagCaps =
        mine != null
            && (mine.has("maxPerPayment")
                || mine.has("maxLockable")
                || mine.has("maxPerDay")
                || mine.has("maxTotal")
                || mine.has("allowOrigins"));
    if (flagCaps || set == null) {
      Policy.Builder policy = Policy.builder();
      String perPayment = mine == null ? null : text(mine, "maxPerPayment");
      if (perPayment == null && !flagCaps) {
        perPayment = DEFAULT_MAX_PER_PAYMENT;
      }
      if (perPayment != null) {
        policy.maxPerPayment(perPayment);
      }
      if (mine != null && mine.hasNonNull("maxLockable")) {
        policy.maxLockable(mine.get("maxLockable").asText());
      }
      if (mine != null && mine.hasNonNull("maxPerDay")) {
        policy.cap(Window.DAY, mine.get("maxPerDay").asText());
      }
      if (mine != null && mine.hasNonNull("maxTotal")) {
        policy.cap(Window.ALL_TIME, mine.get("maxTotal").asText());
      }
      if (mine != null && mine.has("allowOrigins")) {
        List<String> origins = new ArrayList<>();
        mine.get("allowOrigins").forEach(o -> origins.add(o.asText()));
        policy.allowOrigins(origins.toArray(String[]::new));
      }
      if (fleetName != null && (set == null || !set.fleets().containsKey(fleetName))) {
        builder.fleet(fleetName, Policy.unlimited());
      }
      if (fleetName == null) {
        builder.agent(agent, policy.build());
      } else {
        builder.agent(agent, fleetName, policy.build());
      }
    } else if (fleetName != null && !set.agents().containsKey(agent)) {
      AgentPolicy template = set.defaultAgentPolicy().orElse(null);
      if (template != null) {
        builder.agent(agent, fleetName, template.policy());
      }
    }
  }

  private ObjectNode currentSettings() {
    ObjectNode node = JSON.createObjectNode();
    if (fleet != null) {
      node.put("fleet", fleet);
    }
    if (maxPerPayment != null) {
      node.put("maxPerPayment", maxPerPayment);
    }
    if (maxLockable != null) {
      node.put("maxLockable", maxLockable);
    }
    if (maxPerDay != null) {
      node.put("maxPerDay", maxPerDay);
    }
    if (maxTotal != null) {
      node.put("maxTotal", maxTotal);
    }
    if (!allowOrigins.isEmpty()) {
      ArrayNode origins = node.putArray("allowOrigins");
      allowOrigins.forEach(origins::add);
    }
    if (policyFile != null) {
      if (!Files.isReadable(policyFile)) {
        throw usage("policy file " + policyFile + " is not readable");
      }
      node.put("policyFile", policyFile.toAbsolutePath().toString());
    }
    // Validate now so a bad amount is a usage error before anything is stored.
    Wallet.Builder probe = Wallet.builder();
    applyPolicy(probe, node);
    return node;
  }

  private ObjectNode loadSettings() {
    Path file = settingsPath();
    if (!Files.exists(file)) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(file.toFile());
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // fall through
    }
    throw usage("saved policy " + file + " is not valid JSON; delete it or pass --policy");
  }

  private void saveSettings(ObjectNode settings) {
    Path file = settingsPath();
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path tmp = Files.createTempFile(parent, ".policy", ".tmp");
      Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(settings));
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw usage("cannot save policy beside the wallet: " + e.getClass().getSimpleName());
    }
  }

  private List<Rail> rails(LedgerStore ledger) {
    List<Rail> rails = new ArrayList<>();
    Signer signer = signer();
    if (signer != null) {
      if (chainId == null) {
        throw usage("--chain-id is required with a key (Tempo mainnet is 4217)");
      }
      if (rpcUrl == null) {
        throw usage("--rpc-url is required with a key (Tempo gas and fee estimates)");
      }
      TempoConfig.Builder config = TempoConfig.builder(chainId);
      for (String token :
          List.of(Prices.PATH_USD, Prices.ALPHA_USD, Prices.BETA_USD, Prices.THETA_USD)) {
        config.asset(EvmAddress.parse(token));
      }
      if (feeToken != null) {
        config.feeToken(parseAddress(feeToken, "--fee-token"));
      }
      config.modes(TempoMode.PULL, TempoMode.PUSH);
      JsonRpcClient rpc = JsonRpcClient.create(rpcUrl);
      rails.add(TempoChargeRail.builder(config.build(), signer).rpc(rpc).build());
      rails.add(sessionRail(signer, rpc, ledger));
    }
    String stripeKey = System.getenv("MPP_STRIPE_SECRET_KEY");
    if (stripeKey != null && !stripeKey.isBlank()) {
      if (stripePaymentMethod == null) {
        throw usage("MPP_STRIPE_SECRET_KEY is set but --stripe-payment-method is missing");
      }
      StripeRail.Builder stripe =
          StripeRail.builder()
              .secretKey(StripeSecretKey.of(stripeKey))
              .paymentMethod(stripePaymentMethod);
      if (stripeApiBase != null) {
        stripe.apiBase(stripeApiBase);
      }
      rails.add(stripe.build());
    }
    if (cardFile != null) {
      rails.add(CardFile.load(cardFile));
    }
    if (rails.isEmpty()) {
      throw usage(
          "no payment key: set MPP_PRIVATE_KEY (or --keystore with MPP_KEYSTORE_PASSWORD),"
              + " MPP_STRIPE_SECRET_KEY with --stripe-payment-method, or --card FILE");
    }
    return rails;
  }

  /** Sessions pay from channels kept beside the ledger, in the same SQLite file. */
  private TempoSessionRail sessionRail(Signer signer, JsonRpcClient rpc, LedgerStore ledger) {
    TempoSessionConfig.Builder config = TempoSessionConfig.builder(chainId);
    for (String token :
        List.of(Prices.PATH_USD, Prices.ALPHA_USD, Prices.BETA_USD, Prices.THETA_USD)) {
      config.asset(EvmAddress.parse(token));
    }
    for (String escrow : trustedEscrows) {
      config.trustEscrow(SessionProtocol.V1, parseAddress(escrow, "--trust-escrow"));
    }
    if (feeToken != null) {
      config.feeToken(parseAddress(feeToken, "--fee-token"));
    }
    closeSessions();
    channelStore = JdbcChannelStore.sqlite(walletPath());
    sessionRail =
        TempoSessionRail.builder(config.build(), signer, channelStore)
            .rpc(rpc)
            .ledger(ledger)
            .build();
    return sessionRail;
  }

  private Signer signer() {
    if (keystore != null) {
      String password = System.getenv("MPP_KEYSTORE_PASSWORD");
      if (password == null) {
        throw usage("--keystore needs the password in env MPP_KEYSTORE_PASSWORD");
      }
      return KeystoreSigner.open(keystore, password.toCharArray());
    }
    String key = System.getenv("MPP_PRIVATE_KEY");
    if (key != null && !key.isBlank()) {
      return PrivateKeySigner.fromEnv("MPP_PRIVATE_KEY");
    }
    return null;
  }

  private static EvmAddress parseAddress(String text, String flag) {
    try {
      return EvmAddress.parse(text);
    } catch (RuntimeException e) {
      throw usage(flag + " is not a 20-byte hex address");
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  static ConfigurationException usage(String message) {
    return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, message);
  }

  Map<String, String> describe() {
    return Map.of("wallet", walletPath().toString(), "agent", agent);
  }
}
