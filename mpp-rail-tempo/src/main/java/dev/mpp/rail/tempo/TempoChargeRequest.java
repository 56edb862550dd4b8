package dev.mpp.rail.tempo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.ProtocolException;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Tempo {@code charge} request that passed every check this rail makes before signing: the parsed
 * view of a challenge's {@code request} JSON, validated against a {@link TempoConfig}.
 *
 * <p>Checks, in order: shape and amounts ({@link ProtocolException} with {@link
 * ErrorCode#MALFORMED_REQUEST} or {@link ErrorCode#INVALID_AMOUNT}); then whether this rail may
 * honour it ({@link PaymentRefusedException} with {@link ErrorCode#UNSUPPORTED_REQUEST}): the chain
 * id equals the configured one (a missing chain id is refused, never defaulted), the currency is a
 * configured asset, every recipient is allowed, the splits leave the primary recipient a positive
 * remainder, and a settlement mode both sides support exists.
 */
public final class TempoChargeRequest {

  /**
   * One additional recipient of a charge.
   *
   * @param recipient who receives {@code amount}
   * @param amount base units, positive
   * @param memo the memo for this transfer, if the server gave one
   */
  public record Split(EvmAddress recipient, BigInteger amount, Optional<Memo> memo) {
    /** Validates the components. */
    public Split {
      Objects.requireNonNull(recipient, "recipient");
      Objects.requireNonNull(amount, "amount");
      Objects.requireNonNull(memo, "memo");
    }
  }

  /**
   * One TIP-20 transfer the charge consists of.
   *
   * @param recipient who receives {@code amount}
   * @param amount base units, positive
   * @param memo the memo ({@code transferWithMemo}), or empty for a plain {@code transfer}
   */
  public record Transfer(EvmAddress recipient, BigInteger amount, Optional<Memo> memo) {
    /** Validates the components. */
    public Transfer {
      Objects.requireNonNull(recipient, "recipient");
      Objects.requireNonNull(amount, "amount");
      Objects.requireNonNull(memo, "memo");
    }
  }

  private static final BigInteger UINT256_MAX =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  private final BigInteger amount;
  private final EvmAddress currency;
  private final EvmAddress recipient;
  private final long chainId;
  private final boolean feePayer;
  private final Memo memo;
  private final List<Split> splits;
  private final TempoMode mode;

  private TempoChargeRequest(
      BigInteger amount,
      EvmAddress currency,
      EvmAddress recipient,
      long chainId,
      boolean feePayer,
      Memo memo,
      List<Split> splits,
      TempoMode mode) {
    this.amount = amount;
    this.currency = currency;
    this.recipient = recipient;
    this.chainId = chainId;
    this.feePayer = feePayer;
    this.memo = memo;
    this.splits = List.copyOf(splits);
    this.mode = mode;
  }

  /**
   * Parses and validates {@code request} for this rail.
   *
   * @throws ProtocolException if the request is malformed
   * @throws PaymentRefusedException if it is well-formed but this rail must not pay it
   */
  public static TempoChargeRequest parse(PaymentRequest request, TempoConfig config) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(config, "config");
    JsonNode json = request.json();
    BigInteger amount = request.amount().orElseThrow(() -> malformed("request has no amount"));
    if (amount.compareTo(UINT256_MAX) > 0) {
      throw new ProtocolException(ErrorCode.INVALID_AMOUNT, "amount exceeds uint256");
    }
    EvmAddress currency = address(json.get("currency"), "currency");
    EvmAddress recipient = address(json.get("recipient"), "recipient");
    JsonNode details = json.path("methodDetails");

    JsonNode chainNode = details.get("chainId");
    if (chainNode == null || chainNode.isNull()) {
      throw refused(
          "methodDetails.chainId is missing; this rail pays only on chain " + config.chainId());
    }
    if (!chainNode.isIntegralNumber() || !chainNode.canConvertToLong() || chainNode.asLong() <= 0) {
      throw malformed("methodDetails.chainId must be a positive integer");
    }
    long chainId = chainNode.asLong();
    if (chainId != config.chainId()) {
      throw refused("chain " + chainId + " is not this rail's chain " + config.chainId());
    }

    JsonNode feePayerNode = details.get("feePayer");
    if (feePayerNode != null && !feePayerNode.isNull() && !feePayerNode.isBoolean()) {
      throw malformed("methodDetails.feePayer must be a boolean");
    }
    boolean feePayer = feePayerNode != null && feePayerNode.asBoolean(false);

    Memo memo = optionalMemo(details.get("memo"), "methodDetails.memo");
    List<Split> splits = splits(details.get("splits"));
    Set<TempoMode> offered = supportedModes(details.get("supportedModes"));

    // Everything is well-formed; now decide whether this rail may pay it.
    if (!config.assets().contains(currency)) {
      throw refused("currency " + currency + " is not a configured asset");
    }
    if (!config.recipientAllowed(recipient)) {
      throw refused("recipient " + recipient + " is not allowed");
    }
    if (splits.size() > config.maxSplits()) {
      throw refused(
          "request has " + splits.size() + " splits; at most " + config.maxSplits() + " allowed");
    }
    BigInteger splitTotal = BigInteger.ZERO;
    for (Split split : splits) {
      if (!config.recipientAllowed(split.recipient())) {
        throw refused("split recipient " + split.recipient() + " is not allowed");
      }
      splitTotal = splitTotal.add(split.amount());
    }
    if (!splits.isEmpty() && splitTotal.compareTo(amount) >= 0) {
      throw refused("splits total " + splitTotal + " is not less than the amount " + amount);
    }
    TempoMode mode = chooseMode(amount, feePayer, offered, config);
    return new TempoChargeRequest(
        amount, currency, recipient, chainId, feePayer, memo, splits, mode);
  }

  private static TempoMode chooseMode(
      BigInteger amount, boolean feePayer, Set<TempoMode> offered, TempoConfig config) {
    if (amount.signum() == 0) {
      return TempoMode.PROOF;
    }
    for (TempoMode candidate : List.of(TempoMode.PULL, TempoMode.PUSH)) {
      boolean allowed = candidate != TempoMode.PUSH || !feePayer;
      if (allowed && offered.contains(candidate) && config.modes().contains(candidate)) {
        return candidate;
      }
    }
    throw refused(
        "no settlement mode in common: server offers "
            + offered
            + (feePayer ? " with sponsored fees (push excluded)" : "")
            + ", rail allows "
            + config.modes());
  }

  private static List<Split> splits(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw malformed("methodDetails.splits must be an array");
    }
    if (node.isEmpty()) {
      throw malformed("methodDetails.splits must not be empty when present");
    }
    List<Split> splits = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode entry = node.get(i);
      String where = "methodDetails.splits[" + i + "]";
      if (!entry.isObject()) {
        throw malformed(where + " must be an object");
      }
      JsonNode amountNode = entry.get("amount");
      if (amountNode == null || !amountNode.isTextual()) {
        throw new ProtocolException(ErrorCode.INVALID_AMOUNT, where + ".amount must be a string");
      }
      BigInteger amount = PaymentRequest.parseAmount(amountNode.textValue());
      if (amount.signum() == 0) {
        throw refused(where + ".amount must be greater than zero");
      }
      splits.add(
          new Split(
              address(entry.get("recipient"), where + ".recipient"),
              amount,
              Optional.ofNullable(optionalMemo(entry.get("memo"), where + ".memo"))));
    }
    return splits;
  }

  private static Set<TempoMode> supportedModes(JsonNode node) {
    // Absent: version-00 servers support both non-zero modes.
    if (node == null || node.isNull()) {
      return EnumSet.of(TempoMode.PULL, TempoMode.PUSH);
    }
    if (!node.isArray()) {
      throw malformed("methodDetails.supportedModes must be an array");
    }
    Set<TempoMode> modes = EnumSet.noneOf(TempoMode.class);
    for (JsonNode value : node) {
      if (!value.isTextual()) {
        throw malformed("methodDetails.supportedModes must contain strings");
      }
      // Unknown future modes are ignored rather than rejected.
      switch (value.textValue()) {
        case "pull" -> modes.add(TempoMode.PULL);
        case "push" -> modes.add(TempoMode.PUSH);
        default -> {}
      }
    }
    return modes;
  }

  private static EvmAddress address(JsonNode node, String field) {
    if (node == null || !node.isTextual()) {
      throw malformed(field + " must be an address string");
    }
    return EvmAddress.tryParse(node.textValue())
        .orElseThrow(() -> malformed(field + " is not a valid (EIP-55) address"));
  }

  private static Memo optionalMemo(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw malformed(field + " must be a bytes32 hex string");
    }
    try {
      return Memo.parse(node.textValue());
    } catch (IllegalArgumentException e) {
      throw malformed(field + " must be 0x followed by 64 hex digits");
    }
  }

  private static ProtocolException malformed(String message) {
    return new ProtocolException(ErrorCode.MALFORMED_REQUEST, "tempo charge: " + message);
  }

  private static PaymentRefusedException refused(String message) {
    return new PaymentRefusedException(ErrorCode.UNSUPPORTED_REQUEST, "tempo charge: " + message);
  }

  /** The total amount in base units of {@link #currency()}. */
  public BigInteger amount() {
    return amount;
  }

  /** The TIP-20 token to pay in. */
  public EvmAddress currency() {
    return currency;
  }

  /** The primary recipient. */
  public EvmAddress recipient() {
    return recipient;
  }

  /** The chain id (equal to the configured one). */
  public long chainId() {
    return chainId;
  }

  /** Whether the server sponsors the transaction fees. */
  public boolean feePayer() {
    return feePayer;
  }

  /** The server's memo for the primary transfer, if any. */
  public Optional<Memo> memo() {
    return Optional.ofNullable(memo);
  }

  /** The additional recipients, in request order. */
  public List<Split> splits() {
    return splits;
  }

  /** The settlement mode this rail will use. */
  public TempoMode mode() {
    return mode;
  }

  /**
   * Returns the transfers that settle this charge: first the primary recipient's {@code amount − Σ
   * splits}, then each split in request order.
   *
   * @param defaultMemo the primary transfer's memo when the request has none (the attribution memo)
   * @throws IllegalStateException for zero-amount requests, which settle with a proof instead
   */
  public List<Transfer> transfers(Memo defaultMemo) {
    Objects.requireNonNull(defaultMemo, "defaultMemo");
    if (mode == TempoMode.PROOF) {
      throw new IllegalStateException("zero-amount charges have no transfers");
    }
    BigInteger primary = amount;
    for (Split split : splits) {
      primary = primary.subtract(split.amount());
    }
    List<Transfer> transfers = new ArrayList<>(1 + splits.size());
    transfers.add(new Transfer(recipient, primary, Optional.of(memo != null ? memo : defaultMemo)));
    for (Split split : splits) {
      transfers.add(new Transfer(split.recipient(), split.amount(), split.memo()));
    }
    return transfers;
  }

  @Override
  public String toString() {
    return "TempoChargeRequest[amount="
        + amount
        + ", currency="
        + currency
        + ", recipient="
        + recipient
        + ", chainId="
        + chainId
        + ", splits="
        + splits.size()
        + ", feePayer="
        + feePayer
        + ", mode="
        + mode
        + "]";
  }
}
