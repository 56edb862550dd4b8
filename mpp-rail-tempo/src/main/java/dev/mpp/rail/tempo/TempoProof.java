package dev.mpp.rail.tempo;

import dev.mpp.evm.chain.Eip712;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.TypedStruct;
import dev.mpp.evm.signer.Signature;
import dev.mpp.evm.signer.Signer;
import java.util.Objects;

/**
 * The zero-amount Tempo proof: an EIP-712 signature over {@code Proof(address account,string
 * challengeId,string realm)} in domain {@code {name: "MPP", version: "3", chainId}}.
 *
 * <p>This is what the reference server ({@code mppx}) verifies. The draft spec describes version
 * "1" with {@code Proof(string challengeId)}; we follow the reference server, whose binding to the
 * account and realm is also stronger.
 */
public final class TempoProof {

  /** The EIP-712 domain name. */
  public static final String DOMAIN_NAME = "MPP";

  /** The EIP-712 domain version. */
  public static final String DOMAIN_VERSION = "3";

  private TempoProof() {}

  /** Returns the EIP-712 digest a payer signs to prove control of {@code account}. */
  public static byte[] digest(long chainId, EvmAddress account, String challengeId, String realm) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(challengeId, "challengeId");
    Objects.requireNonNull(realm, "realm");
    TypedStruct message =
        TypedStruct.builder("Proof")
            .address("account", account)
            .string("challengeId", challengeId)
            .string("realm", realm)
            .build();
    return Eip712.digest(Eip712.domain(DOMAIN_NAME, DOMAIN_VERSION, chainId), message);
  }

  /** Signs the proof for {@code signer}'s account. */
  public static Signature sign(Signer signer, long chainId, String challengeId, String realm) {
    EvmAddress account = EvmAddress.parse(signer.address());
    return signer.sign(digest(chainId, account, challengeId, realm));
  }
}
