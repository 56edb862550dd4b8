package dev.mpp.rail.evm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.SetOnce;
import dev.mpp.client.wire.Challenge;
import dev.mpp.evm.chain.DidPkh;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.chain.JsonRpcException;
import dev.mpp.evm.signer.Signature;
import dev.mpp.evm.signer.Signer;
import dev.mpp.evm.signer.SignerException;
import dev.mpp.wallet.Money;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.RailPayment;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays {@code evm/charge} challenges with an EIP-3009 {@code type="authorization"} credential: an
 * off-chain {@code TransferWithAuthorization} signature that the server submits to the token
 * contract, paying the gas itself. The client never broadcasts, so no money moves until the server
 * settles, and the on-chain nonce (the challenge hash) makes the authorization single-use.
 *
 * <p>Only configured chains and tokens are paid; the challenge must offer the {@code authorization}
 * credential type and must not carry splits (they need Permit2). The signer is the shared {@link
 * Signer} SPI, so keys can live in memory, in a keystore file or in an external KMS.
 *
 * <p>Thread-safe. Token domains read through EIP-5267 are cached after the first success.
 */
public final class EvmRail implements Rail {
  /** The payment method this rail pays. */
  public static final String METHOD = "evm";

  /** The only intent this rail pays. */
  public static final String INTENT = "charge";

  /** The credential type this rail produces. */
  public static final String CREDENTIAL_TYPE = "authorization";

  private static final Logger log = LoggerFactory.getLogger(EvmRail.class);
  private static final BigInteger UINT256_LIMIT = BigInteger.ONE.shiftLeft(256);

  private final Signer signer;
  private final EvmAddress payer;
  private final Map<Long, Optional<JsonRpcClient>> chains;
  private final Map<TokenKey, EvmToken> tokens;
  private final Duration defaultValidity;
  private final Clock clock;
  private final Map<TokenKey, TokenDomain> resolvedDomains = new ConcurrentHashMap<>();

  private record TokenKey(long chainId, EvmAddress address) {}

  private EvmRail(Builder b) {
    if (b.signer == null) {
      throw invalid("EVM rail needs a signer");
    }
    this.signer = b.signer;
    this.payer = EvmAddress.parse(signer.address());
    if (b.tokens.isEmpty()) {
      throw invalid("EVM rail needs at least one token");
    }
    Map<TokenKey, EvmToken> tokens = new LinkedHashMap<>();
    for (EvmToken token : b.tokens) {
      if (!b.chains.containsKey(token.chainId())) {
        throw invalid(
            "token " + token.asset() + " is on chain " + token.chainId() + ", not configured");
      }
      if (token.domain().isEmpty() && b.chains.get(token.chainId()).isEmpty()) {
        throw invalid(
            "token "
                + token.asset()
                + " reads its EIP-712 domain from the chain, but chain "
                + token.chainId()
                + " has no JSON-RPC endpoint");
      }
      if (tokens.put(new TokenKey(token.chainId(), token.address()), token) != null) {
        throw invalid("token " + token.asset() + " is configured twice");
      }
    }
    this.tokens = Collections.unmodifiableMap(tokens);
    this.chains = Collections.unmodifiableMap(new TreeMap<>(b.chains));
    this.defaultValidity = b.defaultValidity;
    this.clock = b.clock;
  }

  private static ConfigurationException invalid(String message) {
    return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, message);
  }

  /** Starts configuring an EVM rail. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public List<String> intents() {
    return List.of(INTENT);
  }

  /** The paying account. */
  public EvmAddress payer() {
    return payer;
  }

  /** The tokens this rail may pay with. */
  public List<EvmToken> tokens() {
    return List.copyOf(tokens.values());
  }

  @Override
  public Quote quote(Challenge challenge) {
    try {
      Terms terms = check(challenge);
      return Quote.payable(terms.amount(), Money.zero(terms.token().asset()));
    } catch (Unpayable e) {
      return Quote.unsupported(e.getMessage());
    }
  }

  @Override
  public RailPayment pay(Challenge challenge, PaymentContext context) {
    Terms terms;
    try {
      terms = check(challenge);
    } catch (Unpayable e) {
      throw new PaymentRefusedException(ErrorCode.UNSUPPORTED_REQUEST, e.getMessage());
    }
    EvmToken token = terms.token();
    TokenDomain domain = domainOf(token);
    Instant validBefore =
        challenge.expires().orElseGet(() -> clock.instant().plus(defaultValidity));
    TransferAuthorization authorization =
        new TransferAuthorization(
            payer,
            terms.recipient(),
            terms.amount().units(),
            BigInteger.ZERO,
            BigInteger.valueOf(validBefore.getEpochSecond()),
            TransferAuthorization.challengeHash(challenge));
    byte[] digest = authorization.digest(domain, token.chainId(), token.address());
    Signature signature;
    try {
      signature = signer.sign(digest);
    } catch (SignerException e) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "signer failed: " + e.getMessage(), e);
    }
    // An external signer answering for another key would give a credential the token rejects.
    if (signature == null || !payer.equals(recoverOrNull(signature, digest))) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "signer returned a signature that does not recover to " + payer);
    }
    log.debug(
        "Signed an EIP-3009 authorization for challenge {}: {} to {}",
        challenge.id(),
        terms.amount(),
        terms.recipient());
    return new RailPayment(
        payload(authorization, signature), DidPkh.eip155(token.chainId(), payer), null);
  }

  private static EvmAddress recoverOrNull(Signature signature, byte[] digest) {
    try {
      return signature.recoverSigner(digest);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static ObjectNode payload(TransferAuthorization a, Signature signature) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("type", CREDENTIAL_TYPE);
    payload.put("from", a.from().toChecksumHex());
    payload.put("to", a.to().toChecksumHex());
    payload.put("value", a.value().toString());
    payload.put("validAfter", a.validAfter().toString());
    payload.put("validBefore", a.validBefore().toString());
    payload.put("nonce", a.nonceHex());
    payload.put("signature", signature.toHex());
    return payload;
  }

  private TokenDomain domainOf(EvmToken token) {
    Optional<TokenDomain> configured = token.domain();
    if (configured.isPresent()) {
      return configured.get();
    }
    TokenKey key = new TokenKey(token.chainId(), token.address());
    TokenDomain cached = resolvedDomains.get(key);
    if (cached != null) {
      return cached;
    }
    JsonRpcClient rpc = chains.get(token.chainId()).orElseThrow();
    TokenDomain read;
    try {
      read = Eip5267.read(rpc, token.chainId(), token.address());
    } catch (JsonRpcException | IllegalStateException e) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED,
          "cannot read the EIP-712 domain of " + token.asset() + ": " + e.getMessage(),
          e);
    }
    // Concurrent first payments may both read; the domains are equal, so either may win.
    TokenDomain previous = resolvedDomains.putIfAbsent(key, read);
    return previous != null ? previous : read;
  }

  /** The checked terms of a payable challenge. */
  private record Terms(EvmToken token, Money amount, EvmAddress recipient) {}

  private Terms check(Challenge challenge) throws Unpayable {
    if (!METHOD.equals(challenge.method())) {
      throw new Unpayable("method " + challenge.method() + " is not " + METHOD);
    }
    if (!INTENT.equals(challenge.intent())) {
      throw new Unpayable("evm rail does not pay intent " + challenge.intent());
    }
    var request = challenge.request();
    BigInteger amount =
        request.amount().orElseThrow(() -> new Unpayable("evm request has no amount"));
    if (amount.signum() == 0) {
      throw new Unpayable("evm request amount is zero");
    }
    if (amount.compareTo(UINT256_LIMIT) >= 0) {
      throw new Unpayable("evm request amount does not fit in uint256");
    }
    EvmAddress currency = address(request.currency().orElse(null), "currency (token address)");
    EvmAddress recipient = address(request.recipient().orElse(null), "recipient");
    JsonNode details = request.methodDetails();
    JsonNode chainNode = details.path("chainId");
    if (!chainNode.isIntegralNumber() || !chainNode.canConvertToLong() || chainNode.asLong() <= 0) {
      throw new Unpayable("evm request has no valid methodDetails.chainId");
    }
    long chainId = chainNode.asLong();
    if (!chains.containsKey(chainId)) {
      throw new Unpayable("chain " + chainId + " is not configured");
    }
    EvmToken token = tokens.get(new TokenKey(chainId, currency));
    if (token == null) {
      throw new Unpayable(
          "token " + currency.toChecksumHex() + " on chain " + chainId + " is not configured");
    }
    JsonNode types = details.path("credentialTypes");
    boolean offered = false;
    if (types.isArray()) {
      for (JsonNode type : types) {
        offered |= type.isTextual() && CREDENTIAL_TYPE.equals(type.textValue());
      }
    }
    if (!offered) {
      throw new Unpayable("evm request does not offer the authorization credential type");
    }
    JsonNode splits = details.path("splits");
    if (!splits.isMissingNode() && !splits.isNull()) {
      throw new Unpayable("evm splits need permit2; authorization credentials cannot pay them");
    }
    JsonNode decimals = details.path("decimals");
    if (!decimals.isMissingNode()
        && !decimals.isNull()
        && !(decimals.isIntegralNumber() && decimals.asLong() == token.decimals())) {
      throw new Unpayable(
          "evm request decimals " + decimals + " differ from the token's " + token.decimals());
    }
    return new Terms(token, new Money(amount, token.asset()), recipient);
  }

  private static EvmAddress address(String text, String what) throws Unpayable {
    if (text == null) {
      throw new Unpayable("evm request has no " + what);
    }
    return EvmAddress.tryParse(text)
        .orElseThrow(() -> new Unpayable("evm request " + what + " is not a valid address"));
  }

  @Override
  public String toString() {
    List<String> assets = new ArrayList<>();
    tokens.values().forEach(t -> assets.add(t.asset().key()));
    return "EvmRail[payer=" + payer + ", chains=" + chains.keySet() + ", tokens=" + assets + "]";
  }

  /**
   * Configures an {@link EvmRail}; {@link #build()} validates the whole configuration. {@code
   * signer}, {@code defaultValidity} and {@code clock} throw {@link IllegalStateException} when
   * called twice; {@code chain} and {@code tokens} add.
   */
  public static final class Builder {
    private Signer signer;
    private final Map<Long, Optional<JsonRpcClient>> chains = new HashMap<>();
    private final List<EvmToken> tokens = new ArrayList<>();
    private Duration defaultValidity = Duration.ofSeconds(300);
    private Clock clock = Clock.systemUTC();
    private final SetOnce assigned = new SetOnce();

    private Builder() {}

    /** The account that signs authorizations (required). */
    public Builder signer(Signer signer) {
      Objects.requireNonNull(signer, "signer");
      assigned.mark("signer");
      this.signer = signer;
      return this;
    }

    /** Allows paying on {@code chainId}, with no JSON-RPC access (fixed token domains only). */
    public Builder chain(long chainId) {
      return putChain(chainId, Optional.empty());
    }

    /** Allows paying on {@code chainId}, reading token domains (EIP-5267) through {@code rpc}. */
    public Builder chain(long chainId, JsonRpcClient rpc) {
      return putChain(chainId, Optional.of(Objects.requireNonNull(rpc, "rpc")));
    }

    private Builder putChain(long chainId, Optional<JsonRpcClient> rpc) {
      if (chainId <= 0) {
        throw invalid("chainId must be positive");
      }
      chains.put(chainId, rpc);
      return this;
    }

    /** Allows paying with these tokens; each token's chain must be configured too. */
    public Builder tokens(EvmToken... tokens) {
      for (EvmToken token : tokens) {
        this.tokens.add(Objects.requireNonNull(token, "token"));
      }
      return this;
    }

    /**
     * How long an authorization stays valid when the challenge has no {@code expires} (default 300
     * s).
     */
    public Builder defaultValidity(Duration validity) {
      Objects.requireNonNull(validity, "validity");
      if (validity.isNegative() || validity.isZero()) {
        throw invalid("validity must be positive");
      }
      assigned.mark("defaultValidity");
      this.defaultValidity = validity;
      return this;
    }

    /** The clock for {@code validBefore} (default: system UTC). */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      assigned.mark("clock");
      this.clock = clock;
      return this;
    }

    /**
     * Builds the rail.
     *
     * @throws ConfigurationException if the signer or tokens are missing, or a token's chain is not
     *     configured
     */
    public EvmRail build() {
      return new EvmRail(this);
    }
  }
}
