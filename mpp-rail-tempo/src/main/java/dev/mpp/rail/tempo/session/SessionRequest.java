package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.ProtocolException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * A Tempo {@code session} challenge's request, parsed and checked against a {@link
 * TempoSessionConfig}: {@code amount} (price per unit), {@code unitType}, {@code suggestedDeposit},
 * {@code currency}, {@code recipient}, and {@code methodDetails} {@code {chainId, escrowContract,
 * sessionProtocol?, operator?, channelId?, minVoucherDelta?, feePayer?}}.
 *
 * <p>Malformed requests give {@link ProtocolException} ({@link ErrorCode#MALFORMED_REQUEST} or
 * {@link ErrorCode#INVALID_AMOUNT}); requests this client must not pay give {@link
 * PaymentRefusedException} ({@link ErrorCode#UNSUPPORTED_REQUEST}): a missing or other chain id, an
 * asset not configured, a recipient the policy refuses, an untrusted escrow (the deposit would go
 * to whatever contract the server names), or an unknown session protocol.
 *
 * @param amount the price of one unit, in base units (positive)
 * @param unitType what a unit is (e.g. {@code request}, {@code llm_token}), or null
 * @param suggestedDeposit the server's suggested deposit, or null
 * @param currency the TIP-20 token
 * @param recipient the payee
 * @param chainId the chain
 * @param escrow the escrow contract (v1) or precompile (v2)
 * @param protocol the session protocol
 * @param operator the v2 operator (zero address when absent); null for v1
 * @param channelId a channel the server suggests resuming, or null
 * @param minVoucherDelta the server's minimum voucher increase, or null
 * @param feePayer whether the server sponsors the fees of open and top-up transactions
 */
public record SessionRequest(
    BigInteger amount,
    String unitType,
    BigInteger suggestedDeposit,
    EvmAddress currency,
    EvmAddress recipient,
    long chainId,
    EvmAddress escrow,
    SessionProtocol protocol,
    EvmAddress operator,
    Bytes32 channelId,
    BigInteger minVoucherDelta,
    boolean feePayer) {

  private static final EvmAddress ZERO = EvmAddress.of(new byte[EvmAddress.LENGTH]);

  /** Validates the components. */
  public SessionRequest {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(escrow, "escrow");
    Objects.requireNonNull(protocol, "protocol");
    if (amount.signum() <= 0 || !protocol.fits(amount)) {
      throw new IllegalArgumentException("amount must be positive and fit the protocol");
    }
  }

  /**
   * Parses and checks {@code challenge}'s request.
   *
   * @throws ProtocolException when the request is malformed
   * @throws PaymentRefusedException when this client must not pay it
   */
  public static SessionRequest parse(Challenge challenge, TempoSessionConfig config) {
    Objects.requireNonNull(challenge, "challenge");
    Objects.requireNonNull(config, "config");
    if (!"tempo".equals(challenge.method()) || !"session".equals(challenge.intent())) {
      throw refused("cannot pay " + challenge.method() + "/" + challenge.intent());
    }
    PaymentRequest request = challenge.request();
    JsonNode details = request.methodDetails();
    if (details == null || !details.isObject()) {
      throw malformed("methodDetails is missing");
    }
    String protocolName = optionalText(details, "sessionProtocol");
    SessionProtocol protocol =
        SessionProtocol.fromWire(protocolName)
            .orElseThrow(() -> refused("unknown session protocol " + quote(protocolName)));
    BigInteger amount = amount(request.json().get("amount"), "amount", protocol, true);
    if (amount.signum() == 0) {
      throw new ProtocolException(ErrorCode.INVALID_AMOUNT, "session amount must be positive");
    }
    JsonNode suggestedNode = request.json().get("suggestedDeposit");
    BigInteger suggested =
        suggestedNode == null || suggestedNode.isNull()
            ? null
            : amount(suggestedNode, "suggestedDeposit", protocol, false);
    EvmAddress currency = address(request.json().get("currency"), "currency");
    EvmAddress recipient = address(request.json().get("recipient"), "recipient");
    JsonNode chainNode = details.get("chainId");
    if (chainNode == null || chainNode.isNull()) {
      throw refused("methodDetails.chainId is missing (never defaulted)");
    }
    if (!chainNode.canConvertToLong() || !chainNode.isIntegralNumber()) {
      throw malformed("methodDetails.chainId must be an integer");
    }
    long chainId = chainNode.longValue();
    EvmAddress escrow = address(details.get("escrowContract"), "methodDetails.escrowContract");
    EvmAddress operator = null;
    if (protocol == SessionProtocol.V2) {
      JsonNode operatorNode = details.get("operator");
      operator =
          operatorNode == null || operatorNode.isNull()
              ? ZERO
              : address(operatorNode, "methodDetails.operator");
    }
    String channelText = optionalText(details, "channelId");
    Bytes32 channelId;
    try {
      channelId = channelText == null ? null : Bytes32.parse(channelText);
    } catch (IllegalArgumentException e) {
      throw malformed("methodDetails.channelId is not a bytes32");
    }
    JsonNode deltaNode = details.get("minVoucherDelta");
    BigInteger minDelta =
        deltaNode == null || deltaNode.isNull()
            ? null
            : amount(deltaNode, "methodDetails.minVoucherDelta", protocol, false);
    JsonNode feePayerNode = details.get("feePayer");
    if (feePayerNode != null && !feePayerNode.isNull() && !feePayerNode.isBoolean()) {
      throw malformed("methodDetails.feePayer must be a boolean");
    }
    boolean feePayer = feePayerNode != null && feePayerNode.asBoolean(false);
    String unitType = optionalText(request.json(), "unitType");

    if (chainId != config.chainId()) {
      throw refused("chain " + chainId + " is not the configured chain " + config.chainId());
    }
    if (!config.assets().contains(currency)) {
      throw refused("asset " + currency.toLowerHex() + " is not configured");
    }
    if (!config.recipientAllowed(recipient)) {
      throw refused("recipient " + recipient.toLowerHex() + " is not allowed");
    }
    if (!config.trusts(protocol, escrow)) {
      throw refused(
          "escrow "
              + escrow.toLowerHex()
              + " is not trusted for "
              + protocol
              + " sessions (TempoSessionConfig.Builder.trustEscrow)");
    }
    if (minDelta != null && minDelta.compareTo(amount) > 0) {
      throw refused("minVoucherDelta " + minDelta + " exceeds the price of one unit " + amount);
    }
    return new SessionRequest(
        amount, unitType, suggested, currency, recipient, chainId, escrow, protocol, operator,
        channelId, minDelta, feePayer);
  }

  /** The server-suggested channel to resume, if any. */
  public Optional<Bytes32> suggestedChannel() {
    return Optional.ofNullable(channelId);
  }

  private static BigInteger amount(
      JsonNode node, String field, SessionProtocol protocol, boolean required) {
    if (node == null || node.isNull()) {
      if (required) {
        throw malformed(field + " is missing");
      }
      return null;
    }
    if (!node.isTextual()) {
      throw new ProtocolException(ErrorCode.INVALID_AMOUNT, field + " must be a decimal string");
    }
    BigInteger value = PaymentRequest.parseAmount(node.textValue());
    if (!protocol.fits(value)) {
      throw new ProtocolException(
          ErrorCode.INVALID_AMOUNT, field + " exceeds uint" + protocol.amountBits());
    }
    return value;
  }

  private static EvmAddress address(JsonNode node, String field) {
    if (node == null || !node.isTextual()) {
      throw malformed(field + " is missing or not a string");
    }
    return EvmAddress.tryParse(node.textValue())
        .orElseThrow(() -> malformed(field + " is not a valid address"));
  }

  private static String optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw malformed(field + " must be a string");
    }
    return value.textValue();
  }

  private static String quote(String value) {
    return value == null ? "null" : "\"" + value.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
  }

  private static ProtocolException malformed(String message) {
    return new ProtocolException(ErrorCode.MALFORMED_REQUEST, "tempo session: " + message);
  }

  private static PaymentRefusedException refused(String message) {
    return new PaymentRefusedException(ErrorCode.UNSUPPORTED_REQUEST, "tempo session: " + message);
  }
}
