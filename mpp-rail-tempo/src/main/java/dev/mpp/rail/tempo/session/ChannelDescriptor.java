package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.evm.chain.EvmAddress;
import java.util.Objects;
import org.web3j.crypto.Hash;

/**
 * Everything that identifies a payment channel; its hash is the channel id.
 *
 * <ul>
 *   <li>v1: {@code channelId = keccak256(abi.encode(payer, payee, token, salt, authorizedSigner,
 *       escrow, chainId))}; {@code operator} and {@code expiringNonceHash} are absent (null).
 *   <li>v2: {@code channelId = keccak256(abi.encode(payer, payee, operator, token, salt,
 *       authorizedSigner, expiringNonceHash, escrow, uint256 chainId))}; every v2 credential
 *       carries the descriptor as JSON ({@link #toJson()}).
 * </ul>
 *
 * @param protocol the channel generation
 * @param payer the account that funds the channel (the open transaction's sender)
 * @param payee the account settlement pays (the challenge's recipient)
 * @param operator v2: the payee-side operator, zero address if none; v1: null
 * @param token the TIP-20 token escrowed
 * @param salt payer-chosen entropy
 * @param authorizedSigner the voucher signer (zero address delegates to the payer)
 * @param expiringNonceHash v2: the hash binding the channel to its open transaction; v1: null
 */
public record ChannelDescriptor(
    SessionProtocol protocol,
    EvmAddress payer,
    EvmAddress payee,
    EvmAddress operator,
    EvmAddress token,
    Bytes32 salt,
    EvmAddress authorizedSigner,
    Bytes32 expiringNonceHash) {

  private static final EvmAddress ZERO = EvmAddress.of(new byte[EvmAddress.LENGTH]);

  /** Validates the components for the protocol. */
  public ChannelDescriptor {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(payer, "payer");
    Objects.requireNonNull(payee, "payee");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(authorizedSigner, "authorizedSigner");
    if (protocol == SessionProtocol.V2) {
      Objects.requireNonNull(operator, "operator");
      Objects.requireNonNull(expiringNonceHash, "expiringNonceHash");
    } else if (operator != null || expiringNonceHash != null) {
      throw new IllegalArgumentException("a v1 channel has no operator or expiring-nonce hash");
    }
  }

  /** A v1 (escrow contract) channel. */
  public static ChannelDescriptor v1(
      EvmAddress payer,
      EvmAddress payee,
      EvmAddress token,
      Bytes32 salt,
      EvmAddress authorizedSigner) {
    return new ChannelDescriptor(
        SessionProtocol.V1, payer, payee, null, token, salt, authorizedSigner, null);
  }

  /** A v2 (TIP-1034 precompile) channel. */
  public static ChannelDescriptor v2(
      EvmAddress payer,
      EvmAddress payee,
      EvmAddress operator,
      EvmAddress token,
      Bytes32 salt,
      EvmAddress authorizedSigner,
      Bytes32 expiringNonceHash) {
    return new ChannelDescriptor(
        SessionProtocol.V2,
        payer,
        payee,
        operator,
        token,
        salt,
        authorizedSigner,
        expiringNonceHash);
  }

  /** The account whose signature vouchers must carry: the authorized signer, or the payer. */
  public EvmAddress voucherSigner() {
    return authorizedSigner.equals(ZERO) ? payer : authorizedSigner;
  }

  /** The channel id under {@code escrow} on {@code chainId}. */
  public Bytes32 channelId(EvmAddress escrow, long chainId) {
    Objects.requireNonNull(escrow, "escrow");
    if (chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive");
    }
    byte[] encoded =
        protocol == SessionProtocol.V1
            ? Abi.encode(7)
                .address(payer)
                .address(payee)
                .address(token)
                .bytes32(salt)
                .address(authorizedSigner)
                .address(escrow)
                .uint256(chainId)
                .build()
            : Abi.encode(9)
                .address(payer)
                .address(payee)
                .address(operator)
                .address(token)
                .bytes32(salt)
                .address(authorizedSigner)
                .bytes32(expiringNonceHash)
                .address(escrow)
                .uint256(chainId)
                .build();
    return Bytes32.of(Hash.sha3(encoded));
  }

  /**
   * The v2 descriptor object carried in credentials: lowercase hex, keys in the order mppx writes
   * them.
   *
   * @throws IllegalStateException for a v1 channel, whose credentials carry no descriptor
   */
  public ObjectNode toJson() {
    if (protocol != SessionProtocol.V2) {
      throw new IllegalStateException("v1 credentials carry no descriptor");
    }
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("payer", payer.toLowerHex());
    json.put("payee", payee.toLowerHex());
    json.put("operator", operator.toLowerHex());
    json.put("token", token.toLowerHex());
    json.put("salt", salt.toHex());
    json.put("authorizedSigner", authorizedSigner.toLowerHex());
    json.put("expiringNonceHash", expiringNonceHash.toHex());
    return json;
  }

  /** Appends the descriptor as a static tuple (v2 escrow calls take it as their first argument). */
  Abi appendTuple(Abi abi) {
    return abi.address(payer)
        .address(payee)
        .address(operator)
        .address(token)
        .bytes32(salt)
        .address(authorizedSigner)
        .bytes32(expiringNonceHash);
  }
}
