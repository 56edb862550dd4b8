package dev.mpp.rail.tempo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.evm.signer.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.StructuredDataEncoder;

class TempoProofTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final EvmAddress ACCOUNT =
      EvmAddress.parse("0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1");

  private static PrivateKeySigner signer() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 1);
    return PrivateKeySigner.of(key);
  }

  @Test
  void digestMatchesKnownAnswer() {
    byte[] digest = TempoProof.digest(42431, ACCOUNT, "kM9xPqWvT2nJrHsY4aDfEb", "api.example.com");

    assertThat(HexFormat.of().formatHex(digest))
        .isEqualTo("3860a700a55e02ad3c2dc047e92489feceecbdb0a801d948e1d9f0b61ea9bc3f");
  }

  @Test
  void signatureMatchesKnownAnswer() {
    PrivateKeySigner signer = signer();

    Signature signature =
        TempoProof.sign(signer, 42431, "kM9xPqWvT2nJrHsY4aDfEb", "api.example.com");

    assertThat(signer.address()).isEqualTo(ACCOUNT.toChecksumHex());
    assertThat(signature.toHex())
        .isEqualTo(
            "0x53f5d64d9f995e841b4212639b2e17e508e96752e10316df3814a16443dcbdb626c082190a4c3ecc"
                + "3148101eb443d15bd83b579380b1be735a9c99f0df36c9fe1b");
  }

  @Test
  void digestBindsChainAccountChallengeAndRealm() {
    byte[] base = TempoProof.digest(42431, ACCOUNT, "id", "realm");

    assertThat(TempoProof.digest(4217, ACCOUNT, "id", "realm")).isNotEqualTo(base);
    assertThat(TempoProof.digest(42431, EvmAddress.of(new byte[20]), "id", "realm"))
        .isNotEqualTo(base);
    assertThat(TempoProof.digest(42431, ACCOUNT, "id2", "realm")).isNotEqualTo(base);
    assertThat(TempoProof.digest(42431, ACCOUNT, "id", "realm2")).isNotEqualTo(base);
  }

  @Test
  void typedDataIsTheExactV3Shape() throws Exception {
    ObjectNode typedData =
        TempoProof.typedData(42431, ACCOUNT, "proof-challenge-id", "api.example.com");

    // Compared as written: the chain id is a long node in the tree, an int once read back.
    assertThat(JSON.readTree(JSON.writeValueAsString(typedData)))
        .isEqualTo(
            JSON.readTree(
                """
                {"domain":{"name":"MPP","version":"3","chainId":42431},
                 "types":{"Proof":[{"name":"account","type":"address"},
                                   {"name":"challengeId","type":"string"},
                                   {"name":"realm","type":"string"}]},
                 "primaryType":"Proof",
                 "message":{"account":"0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1",
                            "challengeId":"proof-challenge-id","realm":"api.example.com"}}
                """));
  }

  @Test
  void typedDataHashesToTheDigestThatIsSigned() throws Exception {
    ObjectNode typedData = TempoProof.typedData(42431, ACCOUNT, "kM9xPqWvT2nJrHsY4aDfEb", "r");
    // web3j's independent EIP-712 encoder wants the domain type spelled out.
    ArrayNode domain = ((ObjectNode) typedData.get("types")).putArray("EIP712Domain");
    domain.addObject().put("name", "name").put("type", "string");
    domain.addObject().put("name", "version").put("type", "string");
    domain.addObject().put("name", "chainId").put("type", "uint256");

    byte[] hashed =
        new StructuredDataEncoder(JSON.writeValueAsString(typedData)).hashStructuredData();

    assertThat(hashed).isEqualTo(TempoProof.digest(42431, ACCOUNT, "kM9xPqWvT2nJrHsY4aDfEb", "r"));
  }
}
