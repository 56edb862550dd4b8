package dev.mpp.rail.tempo;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.evm.chain.DidPkh;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.signer.KeystoreSigner;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.evm.signer.Signature;
import dev.mpp.evm.signer.Signer;
import dev.mpp.evm.signer.SignerException;
import java.util.Objects;

/**
 * The paying account of a Tempo rail: signs hashes with the configured {@link Signer} and makes
 * sure every signature really is the account's, so a misbehaving plug-in signer cannot make a rail
 * hand out credentials that pay from somebody else (or from nobody). Shared by the charge and
 * session rails; an internal building block, not needed to use them.
 */
public final class TempoSigner {

  private final Signer signer;
  private final EvmAddress account;
  private final String source;
  private final String label;
  private final boolean verify;

  /**
   * Wraps {@code signer} for payments on {@code chainId}.
   *
   * @param label the prefix of this rail's error messages (e.g. {@code "tempo session"})
   * @throws ConfigurationException if the signer's address is not a valid address
   */
  public TempoSigner(Signer signer, long chainId, String label) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.label = Objects.requireNonNull(label, "label");
    this.account =
        EvmAddress.tryParse(signer.address())
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        ErrorCode.INVALID_CONFIGURATION, "signer address is not a valid address"));
    this.source = DidPkh.eip155(chainId, account);
    // Built-in signers are known to return signatures by their own key; a plug-in signer (KMS,
    // remote service) is checked once per signature, which costs one public-key recovery.
    this.verify = !(signer instanceof PrivateKeySigner || signer instanceof KeystoreSigner);
  }

  /** The paying account. */
  public EvmAddress account() {
    return account;
  }

  /** The account as a credential's {@code source}: {@code did:pkh:eip155:<chainId>:<address>}. */
  public String source() {
    return source;
  }

  /**
   * Signs {@code hash} with the account's key.
   *
   * @throws PaymentFailedException with {@link ErrorCode#RAIL_FAILED} when the signer fails or
   *     returns a signature not made by the account
   */
  public Signature sign(byte[] hash) {
    Signature signature;
    try {
      signature = signer.sign(hash);
    } catch (SignerException e) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, label + ": signer failed: " + e.getMessage(), e);
    }
    if (signature == null || (verify && !account.equals(signature.recoverSigner(hash)))) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, label + ": signer returned a signature not made by " + account);
    }
    return signature;
  }

  /** Shows the account only. */
  @Override
  public String toString() {
    return "TempoSigner[" + account + "]";
  }
}
