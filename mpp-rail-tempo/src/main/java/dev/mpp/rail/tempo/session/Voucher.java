package dev.mpp.rail.tempo.session;

import dev.mpp.evm.chain.Eip712;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.TypedStruct;
import dev.mpp.evm.signer.Signature;
import dev.mpp.evm.signer.Signer;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A signed, cumulative voucher: the payer's statement that the payee may take up to {@code
 * cumulativeAmount} from the channel in total.
 *
 * <p>Vouchers are EIP-712 typed data. Domain {@code {name, version "1", chainId, verifyingContract:
 * escrow}} with name {@code "Tempo Stream Channel"} (v1) or {@code "TIP20 Channel Reserve"} (v2);
 * type {@code Voucher(bytes32 channelId,uint128 cumulativeAmount)} (v1) or {@code uint96} (v2).
 * Signatures are 65 bytes {@code r ‖ s ‖ v}, low {@code s}, {@code v} 27/28.
 *
 * @param channelId the channel
 * @param cumulativeAmount the total authorized so far, in base units
 * @param signature the authorized signer's signature
 */
public record Voucher(Bytes32 channelId, BigInteger cumulativeAmount, Signature signature) {

  /** Validates the components. */
  public Voucher {
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(cumulativeAmount, "cumulativeAmount");
    Objects.requireNonNull(signature, "signature");
    if (cumulativeAmount.signum() < 0) {
      throw new IllegalArgumentException("cumulativeAmount must not be negative");
    }
  }

  /** The EIP-712 domain of vouchers for one escrow on one chain. */
  public static TypedStruct domain(SessionProtocol protocol, long chainId, EvmAddress escrow) {
    Objects.requireNonNull(protocol, "protocol");
    return Eip712.domain(protocol.domainName(), "1", chainId, escrow);
  }

  /** The domain separator ({@code hashStruct} of {@link #domain}). */
  public static Bytes32 domainSeparator(SessionProtocol protocol, long chainId, EvmAddress escrow) {
    return Bytes32.of(domain(protocol, chainId, escrow).hashStruct());
  }

  /**
   * The 32-byte digest a voucher signature signs.
   *
   * @throws IllegalArgumentException if the amount does not fit the protocol's amount width
   */
  public static Bytes32 digest(
      SessionProtocol protocol,
      long chainId,
      EvmAddress escrow,
      Bytes32 channelId,
      BigInteger cumulativeAmount) {
    Objects.requireNonNull(channelId, "channelId");
    TypedStruct message =
        TypedStruct.builder("Voucher")
            .fixedBytes("channelId", channelId.toBytes())
            .uint("cumulativeAmount", protocol.amountBits(), cumulativeAmount)
            .build();
    return Bytes32.of(Eip712.digest(domain(protocol, chainId, escrow), message));
  }

  /**
   * Signs a voucher. The caller is responsible for having validated the channel and for having
   * persisted {@code cumulativeAmount} as the channel's highest signed amount first.
   */
  public static Voucher sign(
      Signer signer,
      SessionProtocol protocol,
      long chainId,
      EvmAddress escrow,
      Bytes32 channelId,
      BigInteger cumulativeAmount) {
    Objects.requireNonNull(signer, "signer");
    Bytes32 digest = digest(protocol, chainId, escrow, channelId, cumulativeAmount);
    return new Voucher(channelId, cumulativeAmount, signer.sign(digest.toBytes()));
  }

  /** Whether this voucher was signed by {@code expectedSigner} under the given domain. */
  public boolean verify(
      SessionProtocol protocol, long chainId, EvmAddress escrow, EvmAddress expectedSigner) {
    Bytes32 digest = digest(protocol, chainId, escrow, channelId, cumulativeAmount);
    try {
      return signature.recoverSigner(digest.toBytes()).equals(expectedSigner);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "Voucher[" + channelId + ", cumulativeAmount=" + cumulativeAmount + "]";
  }
}
