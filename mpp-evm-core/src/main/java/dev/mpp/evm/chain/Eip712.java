package dev.mpp.evm.chain;

import java.math.BigInteger;
import java.util.Objects;
import org.web3j.crypto.Hash;

/**
 * EIP-712 typed-data hashing for flat structs: builds domains and computes the digest {@code
 * keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message))} that a signer signs.
 */
public final class Eip712 {

  private Eip712() {}

  /**
   * Returns an {@code EIP712Domain} with {@code name}, {@code version} and {@code chainId}, the
   * members used by MPP proofs.
   */
  public static TypedStruct domain(String name, String version, long chainId) {
    return TypedStruct.builder("EIP712Domain")
        .string("name", name)
        .string("version", version)
        .uint256("chainId", BigInteger.valueOf(chainId))
        .build();
  }

  /**
   * Returns an {@code EIP712Domain} with {@code name}, {@code version}, {@code chainId} and {@code
   * verifyingContract}, the domain of token authorizations such as EIP-3009.
   */
  public static TypedStruct domain(
      String name, String version, long chainId, EvmAddress verifyingContract) {
    return TypedStruct.builder("EIP712Domain")
        .string("name", name)
        .string("version", version)
        .uint256("chainId", BigInteger.valueOf(chainId))
        .address("verifyingContract", verifyingContract)
        .build();
  }

  /**
   * Returns the 32-byte digest to sign for {@code message} under {@code domain}.
   *
   * @param domain a struct named {@code EIP712Domain}
   */
  public static byte[] digest(TypedStruct domain, TypedStruct message) {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(message, "message");
    if (!"EIP712Domain".equals(domain.typeName())) {
      throw new IllegalArgumentException("domain must be an EIP712Domain struct");
    }
    byte[] preimage = new byte[66];
    preimage[0] = 0x19;
    preimage[1] = 0x01;
    System.arraycopy(domain.hashStruct(), 0, preimage, 2, 32);
    System.arraycopy(message.hashStruct(), 0, preimage, 34, 32);
    return Hash.sha3(preimage);
  }
}
