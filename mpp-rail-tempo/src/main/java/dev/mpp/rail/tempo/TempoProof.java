package dev.mpp.rail.tempo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

  /**
   * Returns the EIP-712 typed data that {@link #digest} hashes, in the {@code eth_signTypedData_v4}
   * shape without the implicit {@code EIP712Domain} type: {@code {"domain":{"name":"MPP",
   * "version":"3","chainId":…},"types":{"Proof":[account, challengeId, realm]},"primaryType":
   * "Proof","message":{…}}}, the account in checksum form.
   */
  public static ObjectNode typedData(
      long chainId, EvmAddress account, String challengeId, String realm) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(challengeId, "challengeId");
    Objects.requireNonNull(realm, "realm");
    ObjectNode typedData = JsonNodeFactory.instance.objectNode();
    typedData
        .putObject("domain")
        .put("name", DOMAIN_NAME)
        .put("version", DOMAIN_VERSION)
        .put("chainId", chainId);
    ArrayNode proof = typedData.putObject("types").putArray("Proof");
    proof.addObject().put("name", "account").put("type", "address");
    proof.addObject().put("name", "challengeId").put("type", "string");
    proof.addObject().put("name", "realm").put("type", "string");
    typedData.put("primaryType", "Proof");
    typedData
        .putObject("message")
        .put("account", account.toChecksumHex())
        .put("challengeId", challengeId)
        .put("realm", realm);
    return typedData;
  }

  /** Signs the proof for {@code signer}'s account. */
  public static Signature sign(Signer signer, long chainId, String challengeId, String realm) {
    EvmAddress account = EvmAddress.parse(signer.address());
    return signer.sign(digest(chainId, account, challengeId, realm));
  }
}
