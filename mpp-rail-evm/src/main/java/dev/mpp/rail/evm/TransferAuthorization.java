package dev.mpp.rail.evm;

import dev.mpp.client.wire.Challenge;
import dev.mpp.evm.chain.Eip712;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.TypedStruct;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import org.web3j.crypto.Hash;

/**
 * The EIP-3009 {@code TransferWithAuthorization(address from,address to,uint256 value,uint256
 * validAfter,uint256 validBefore,bytes32 nonce)} message an {@code evm/charge} authorization
 * credential signs.
 *
 * @param from the payer
 * @param to the recipient
 * @param value the amount in the token's base units
 * @param validAfter unix seconds after which the authorization is valid
 * @param validBefore unix seconds before which the authorization is valid
 * @param nonce the 32-byte nonce; for MPP the {@link #challengeHash challenge hash}
 */
public record TransferAuthorization(
    EvmAddress from,
    EvmAddress to,
    BigInteger value,
    BigInteger validAfter,
    BigInteger validBefore,
    byte[] nonce) {

  private static final BigInteger UINT256_LIMIT = BigInteger.ONE.shiftLeft(256);

  /** Validates the components and copies the nonce. */
  public TransferAuthorization {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    uint256(value, "value");
    uint256(validAfter, "validAfter");
    uint256(validBefore, "validBefore");
    Objects.requireNonNull(nonce, "nonce");
    if (nonce.length != 32) {
      throw new IllegalArgumentException("nonce must be 32 bytes");
    }
    nonce = nonce.clone();
  }

  private static void uint256(BigInteger v, String name) {
    Objects.requireNonNull(v, name);
    if (v.signum() < 0 || v.compareTo(UINT256_LIMIT) >= 0) {
      throw new IllegalArgumentException(name + " must be a uint256");
    }
  }

  /**
   * The challenge binding the spec requires as nonce: {@code keccak256(abi.encodePacked(string id,
   * string realm))}, i.e. of the UTF-8 bytes of the id followed by those of the realm.
   */
  public static byte[] challengeHash(String challengeId, String realm) {
    byte[] id = challengeId.getBytes(StandardCharsets.UTF_8);
    byte[] r = realm.getBytes(StandardCharsets.UTF_8);
    byte[] packed = new byte[id.length + r.length];
    System.arraycopy(id, 0, packed, 0, id.length);
    System.arraycopy(r, 0, packed, id.length, r.length);
    return Hash.sha3(packed);
  }

  /** {@link #challengeHash(String, String)} of a challenge's id and realm. */
  public static byte[] challengeHash(Challenge challenge) {
    return challengeHash(challenge.id(), challenge.realm());
  }

  /** A copy of the 32-byte nonce. */
  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  /** The nonce as {@code 0x}-prefixed lowercase hex. */
  public String nonceHex() {
    return "0x" + HexFormat.of().formatHex(nonce);
  }

  /** The message as an EIP-712 struct. */
  public TypedStruct toTypedStruct() {
    return TypedStruct.builder("TransferWithAuthorization")
        .address("from", from)
        .address("to", to)
        .uint256("value", value)
        .uint256("validAfter", validAfter)
        .uint256("validBefore", validBefore)
        .fixedBytes("nonce", nonce)
        .build();
  }

  /**
   * The digest to sign under the token's domain {@code {name, version, chainId, verifyingContract:
   * token}}.
   */
  public byte[] digest(TokenDomain domain, long chainId, EvmAddress token) {
    return Eip712.digest(
        Eip712.domain(domain.name(), domain.version(), chainId, token), toTypedStruct());
  }

  // byte[] makes the generated members compare identity.
  @Override
  public boolean equals(Object o) {
    return o instanceof TransferAuthorization other
        && from.equals(other.from)
        && to.equals(other.to)
        && value.equals(other.value)
        && validAfter.equals(other.validAfter)
        && validBefore.equals(other.validBefore)
        && java.util.Arrays.equals(nonce, other.nonce);
  }

  @Override
  public int hashCode() {
    return Objects.hash(from, to, value, validAfter, validBefore, java.util.Arrays.hashCode(nonce));
  }

  @Override
  public String toString() {
    return "TransferAuthorization[from="
        + from
        + ", to="
        + to
        + ", value="
        + value
        + ", validAfter="
        + validAfter
        + ", validBefore="
        + validBefore
        + ", nonce="
        + nonceHex()
        + "]";
  }
}
