package dev.mpp.rail.tempo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentOutcomeUnknownException;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.chain.JsonRpcException;
import dev.mpp.evm.chain.TransactionReceipt;
import dev.mpp.evm.signer.Signature;
import dev.mpp.evm.signer.Signer;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Money;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.RailPayment;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays Tempo {@code charge} challenges with TIP-20 stablecoins, interoperating with the reference
 * server ({@code mppx}).
 *
 * <ul>
 *   <li><b>Pull</b> (default): signs a {@code 0x76} transaction of {@code transferWithMemo} /
 *       {@code transfer} calls on the currency token and hands it to the server ({@code
 *       {"type":"transaction","signature":"0x76…"}}). When the server sponsors fees the transaction
 *       carries the fee-payer placeholder and no fee token.
 *   <li><b>Push</b>: broadcasts the same transaction, waits (bounded, with backoff) for a
 *       successful receipt and sends its hash ({@code {"type":"hash","hash":"0x…"}}). Once
 *       broadcast, a missing receipt is {@link PaymentOutcomeUnknownException}, never "not paid".
 *   <li><b>Proof</b> (zero amounts): an EIP-712 proof of account control ({@code
 *       {"type":"proof","signature":"0x…"}}).
 * </ul>
 *
 * <p>Every transaction uses Tempo's expiring nonce ({@code nonceKey = 2^256−1}, {@code nonce = 0},
 * {@code validBefore = min(now + validity, challenge expiry)}), so concurrent payments from one
 * account never contend for nonces and an unused credential dies by itself. The primary transfer
 * carries the request's memo or, without one, the {@link AttributionMemo} binding it to the
 * challenge. Every credential names its payer as {@code did:pkh:eip155:<chainId>:<address>}.
 *
 * <p>Nothing is signed before {@link TempoChargeRequest#parse} accepted the request. Thread-safe.
 */
public final class TempoChargeRail implements Rail {

  private static final Logger log = LoggerFactory.getLogger(TempoChargeRail.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();
  private static final int TOKEN_DECIMALS = 6;
  private static final String METHOD = "tempo";
  private static final String INTENT = "charge";

  private final TempoConfig config;
  private final TempoSigner signer;
  private final EvmAddress account;
  private final String source;
  private final JsonRpcClient rpc;
  private final TempoFeePlanner feePlanner;
  private final Clock clock;
  private volatile boolean chainVerified;

  private TempoChargeRail(Builder b) {
    this.config = b.config;
    this.signer = new TempoSigner(b.signer, config.chainId(), "tempo");
    this.account = signer.account();
    this.source = signer.source();
    this.rpc = b.rpc;
    this.feePlanner = new TempoFeePlanner(config, () -> rpc == null ? null : rpc(), "tempo");
    this.clock = b.clock;
  }

  /** Starts a rail paying under {@code config} from {@code signer}'s account. */
  public static Builder builder(TempoConfig config, Signer signer) {
    return new Builder(config, signer);
  }

  /** The paying account. */
  public EvmAddress account() {
    return account;
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public List<String> intents() {
    return List.of(INTENT);
  }

  @Override
  public Quote quote(Challenge challenge) {
    Objects.requireNonNull(challenge, "challenge");
    try {
      checkMethod(challenge);
      TempoChargeRequest request = TempoChargeRequest.parse(challenge.request(), config);
      long validBefore = validBefore(challenge);
      Asset currency = asset(request.currency());
      Money amount = new Money(request.amount(), currency);
      if (request.mode() == TempoMode.PROOF || request.feePayer()) {
        return Quote.payable(amount, Money.zero(currency));
      }
      TempoFees fees = fees(request, calls(request, challenge), validBefore);
      return Quote.payable(amount, new Money(fees.maxFeeInTokenUnits(), asset(feeToken(request))));
    } catch (MppException e) {
      return Quote.unsupported(e.getMessage());
    }
  }

  @Override
  public RailPayment pay(Challenge challenge, PaymentContext context) {
    Objects.requireNonNull(challenge, "challenge");
    checkMethod(challenge);
    TempoChargeRequest request = TempoChargeRequest.parse(challenge.request(), config);
    long validBefore = validBefore(challenge);
    if (request.mode() == TempoMode.PROOF) {
      return proof(challenge);
    }
    List<TempoCall> calls = calls(request, challenge);
    TempoFees fees = fees(request, calls, validBefore);
    TempoTransaction unsigned =
        TempoTransaction.expiring(
            config.chainId(),
            calls,
            fees,
            validBefore,
            request.feePayer() ? null : feeToken(request));
    TempoTransaction signed = unsigned.withSignature(sign(unsigned.signingHash()));
    log.debug(
        "tempo charge {} for challenge {}: {} call(s), gas {}, sponsored {}",
        request.mode(),
        challenge.id(),
        calls.size(),
        fees.gas(),
        request.feePayer());
    return request.mode() == TempoMode.PUSH ? push(signed) : pull(signed, request.feePayer());
  }

  private RailPayment proof(Challenge challenge) {
    byte[] digest = TempoProof.digest(config.chainId(), account, challenge.id(), challenge.realm());
    ObjectNode payload = NODES.objectNode();
    payload.put("type", "proof");
    payload.put("signature", sign(digest).toHex());
    return new RailPayment(payload, source, null);
  }

  private RailPayment pull(TempoTransaction signed, boolean sponsored) {
    ObjectNode payload = NODES.objectNode();
    payload.put("type", "transaction");
    payload.put("signature", hex(signed.encodeSigned()));
    // Unsponsored, the server broadcasts exactly these bytes, so their hash is known now; a fee
    // payer changes the bytes, and with them the hash.
    return new RailPayment(payload, source, sponsored ? null : hex(signed.txHash()));
  }

  private RailPayment push(TempoTransaction signed) {
    String hash = hex(signed.txHash());
    JsonRpcClient client = rpc();
    try {
      String reported = client.sendRawTransaction(signed.encodeSigned());
      if (!reported.equalsIgnoreCase(hash)) {
        log.warn(
            "node reported hash {} for transaction {}; tracking the local hash", reported, hash);
      }
    } catch (JsonRpcException e) {
      if (!e.outcomeUnknown()) {
        throw new PaymentFailedException(
            ErrorCode.RAIL_FAILED, "tempo: node refused the transaction: " + e.getMessage(), e);
      }
      // The node may have accepted it before the failure: look for it like for any broadcast.
      log.warn("broadcast of {} ended ambiguously ({}); waiting for a receipt", hash, e.kind());
    }
    Optional<TransactionReceipt> receipt;
    try {
      receipt = client.waitForReceipt(hash, config.receiptTimeout());
    } catch (JsonRpcException e) {
      throw new PaymentOutcomeUnknownException(
          "tempo: stopped waiting for transaction " + hash + " (" + e.kind() + ")", null, e);
    }
    if (receipt.isEmpty()) {
      throw new PaymentOutcomeUnknownException(
          "tempo: transaction "
              + hash
              + " not confirmed within "
              + config.receiptTimeout().toSeconds()
              + " s",
          null,
          null);
    }
    if (!receipt.get().success()) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "tempo: transaction " + hash + " reverted");
    }
    ObjectNode payload = NODES.objectNode();
    payload.put("type", "hash");
    payload.put("hash", hash);
    return new RailPayment(payload, source, hash, true);
  }

  private List<TempoCall> calls(TempoChargeRequest request, Challenge challenge) {
    Memo attribution =
        AttributionMemo.encode(challenge.realm(), config.clientId().orElse(null), challenge.id());
    List<TempoCall> calls = new ArrayList<>(1 + request.splits().size());
    for (TempoChargeRequest.Transfer transfer : request.transfers(attribution)) {
      byte[] data =
          transfer.memo().isPresent()
              ? Tip20.transferWithMemo(
                  transfer.recipient(), transfer.amount(), transfer.memo().get())
              : Tip20.transfer(transfer.recipient(), transfer.amount());
      calls.add(TempoCall.of(request.currency(), BigInteger.ZERO, data));
    }
    return calls;
  }

  private TempoFees fees(TempoChargeRequest request, List<TempoCall> calls, long validBefore) {
    long gas;
    try {
      gas = gasLimit(request, calls, validBefore);
    } catch (JsonRpcException e) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "tempo: fee estimation failed: " + e.getMessage(), e);
    }
    if (gas > config.maxGas()) {
      throw failed("gas " + gas + " exceeds the configured maximum " + config.maxGas());
    }
    return feePlanner.plan(gas);
  }

  private long gasLimit(TempoChargeRequest request, List<TempoCall> calls, long validBefore) {
    if (config.gasLimit().isPresent()) {
      return config.gasLimit().getAsLong();
    }
    ObjectNode tx = NODES.objectNode();
    tx.put("from", account.toLowerHex());
    tx.put("type", "0x76");
    ArrayNode array = tx.putArray("calls");
    for (TempoCall call : calls) {
      array
          .addObject()
          .put("to", call.to().toLowerHex())
          .put("value", "0x0")
          .put("data", hex(call.input()));
    }
    tx.put("nonceKey", "0x" + TempoTransaction.EXPIRING_NONCE_KEY.toString(16));
    tx.put("nonce", "0x0");
    tx.put("validBefore", "0x" + Long.toHexString(validBefore));
    // Like mppx, estimate sponsored transactions without a fee token: the fee payer picks it.
    if (!request.feePayer()) {
      tx.put("feeToken", feeToken(request).toLowerHex());
    }
    long estimate = rpc().estimateGas(tx);
    long padded =
        estimate > Long.MAX_VALUE - config.gasMargin()
            ? Long.MAX_VALUE
            : estimate + config.gasMargin();
    return Math.max(config.gasFloor(), padded);
  }

  private Signature sign(byte[] hash) {
    return signer.sign(hash);
  }

  private long validBefore(Challenge challenge) {
    return config.validBefore(challenge, clock.instant());
  }

  private void checkMethod(Challenge challenge) {
    if (!METHOD.equals(challenge.method()) || !INTENT.equals(challenge.intent())) {
      throw new PaymentRefusedException(
          ErrorCode.UNSUPPORTED_REQUEST,
          "tempo: cannot pay " + challenge.method() + "/" + challenge.intent());
    }
  }

  private EvmAddress feeToken(TempoChargeRequest request) {
    return config.feeToken().orElse(request.currency());
  }

  private Asset asset(EvmAddress token) {
    return new Asset(METHOD, token.toLowerHex(), config.chainId(), TOKEN_DECIMALS);
  }

  private JsonRpcClient rpc() {
    if (rpc == null) {
      throw failed("no JSON-RPC endpoint configured");
    }
    if (!chainVerified) {
      long chainId;
      try {
        chainId = rpc.chainId();
      } catch (JsonRpcException e) {
        throw new PaymentFailedException(
            ErrorCode.RAIL_FAILED, "tempo: cannot reach the RPC endpoint: " + e.getMessage(), e);
      }
      if (chainId != config.chainId()) {
        throw failed("RPC endpoint serves chain " + chainId + ", not " + config.chainId());
      }
      chainVerified = true;
    }
    return rpc;
  }

  private static PaymentFailedException failed(String message) {
    return new PaymentFailedException(ErrorCode.RAIL_FAILED, "tempo: " + message);
  }

  private static String hex(byte[] bytes) {
    return "0x" + HEX.formatHex(bytes);
  }

  /** Shows the chain and the paying address only. */
  @Override
  public String toString() {
    return "TempoChargeRail[chainId=" + config.chainId() + ", account=" + account + "]";
  }

  /** Builds a {@link TempoChargeRail}. */
  public static final class Builder {
    private final TempoConfig config;
    private final Signer signer;
    private JsonRpcClient rpc;
    private Clock clock = Clock.systemUTC();

    private Builder(TempoConfig config, Signer signer) {
      this.config = Objects.requireNonNull(config, "config");
      this.signer = Objects.requireNonNull(signer, "signer");
    }

    /**
     * Sets the JSON-RPC endpoint of the configured chain: required for push mode and whenever gas
     * or fees are not fixed in the configuration.
     */
    public Builder rpc(JsonRpcClient rpc) {
      this.rpc = Objects.requireNonNull(rpc, "rpc");
      return this;
    }

    /** Sets the clock for validity windows (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the rail.
     *
     * @throws ConfigurationException if no RPC endpoint is set but one is needed, or the signer's
     *     address is invalid
     */
    public TempoChargeRail build() {
      boolean needsRpc =
          config.modes().contains(TempoMode.PUSH)
              || config.gasLimit().isEmpty()
              || config.maxFeePerGas().isEmpty()
              || config.maxPriorityFeePerGas().isEmpty();
      if (needsRpc && rpc == null) {
        throw new ConfigurationException(
            ErrorCode.INVALID_CONFIGURATION,
            "tempo: a JSON-RPC endpoint is required for push mode or estimated gas and fees");
      }
      return new TempoChargeRail(this);
    }
  }
}
