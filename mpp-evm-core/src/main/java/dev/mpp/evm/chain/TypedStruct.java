package dev.mpp.evm.chain;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * An EIP-712 struct whose members are all atomic or dynamic primitive types ({@code address},
 * {@code bool}, {@code uintN}, {@code bytesN}, {@code string}, {@code bytes}). Nested structs and
 * arrays are not supported: payment proofs and authorizations do not use them, and keeping the
 * encoder small keeps it auditable.
 *
 * <p>Members are hashed in the order they were added, which must match the order in the type
 * definition the verifier uses.
 */
public final class TypedStruct {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

  private final String typeName;
  private final List<Member> members;
  private final String encodedType;

  private record Member(String type, String name, byte[] encoded) {}

  private TypedStruct(String typeName, List<Member> members) {
    this.typeName = typeName;
    this.members = List.copyOf(members);
    StringBuilder type = new StringBuilder(typeName).append('(');
    for (int i = 0; i < members.size(); i++) {
      if (i > 0) {
        type.append(',');
      }
      type.append(members.get(i).type()).append(' ').append(members.get(i).name());
    }
    this.encodedType = type.append(')').toString();
  }

  /** Starts a struct of the given type name, e.g. {@code Proof}. */
  public static Builder builder(String typeName) {
    return new Builder(typeName);
  }

  /** Returns the struct's type name. */
  public String typeName() {
    return typeName;
  }

  /** Returns {@code encodeType}, e.g. {@code Proof(address account,string challengeId)}. */
  public String encodeType() {
    return encodedType;
  }

  /** Returns {@code typeHash = keccak256(encodeType)}. */
  public byte[] typeHash() {
    return Hash.sha3(encodedType.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns {@code hashStruct = keccak256(typeHash ‖ encodeData)}. */
  public byte[] hashStruct() {
    byte[] data = new byte[32 * (1 + members.size())];
    System.arraycopy(typeHash(), 0, data, 0, 32);
    for (int i = 0; i < members.size(); i++) {
      System.arraycopy(members.get(i).encoded(), 0, data, 32 * (i + 1), 32);
    }
    return Hash.sha3(data);
  }

  /** Adds members to a {@link TypedStruct}. */
  public static final class Builder {
    private final String typeName;
    private final List<Member> members = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    private Builder(String typeName) {
      this.typeName = identifier(typeName);
    }

    /** Adds an {@code address} member. */
    public Builder address(String name, EvmAddress value) {
      Objects.requireNonNull(value, name);
      return add("address", name, Numeric.toBytesPadded(new BigInteger(1, value.toBytes()), 32));
    }

    /** Adds a {@code bool} member. */
    public Builder bool(String name, boolean value) {
      byte[] word = new byte[32];
      word[31] = (byte) (value ? 1 : 0);
      return add("bool", name, word);
    }

    /** Adds a {@code uint256} member. */
    public Builder uint256(String name, BigInteger value) {
      return uint(name, 256, value);
    }

    /**
     * Adds a {@code uint<bits>} member.
     *
     * @param bits a multiple of 8 in [8, 256]
     * @throws IllegalArgumentException if {@code value} is negative or does not fit
     */
    public Builder uint(String name, int bits, BigInteger value) {
      if (bits < 8 || bits > 256 || bits % 8 != 0) {
        throw new IllegalArgumentException("uint size must be a multiple of 8 in [8, 256]");
      }
      Objects.requireNonNull(value, name);
      if (value.signum() < 0 || value.bitLength() > bits) {
        throw new IllegalArgumentException(name + " does not fit in uint" + bits);
      }
      return add("uint" + bits, name, Numeric.toBytesPadded(value, 32));
    }

    /**
     * Adds a {@code bytes<n>} member (1 ≤ n ≤ 32), right-padded with zeros.
     *
     * @param value exactly n bytes
     */
    public Builder fixedBytes(String name, byte[] value) {
      Objects.requireNonNull(value, name);
      if (value.length < 1 || value.length > 32) {
        throw new IllegalArgumentException("bytesN needs 1 to 32 bytes");
      }
      byte[] word = new byte[32];
      System.arraycopy(value, 0, word, 0, value.length);
      return add("bytes" + value.length, name, word);
    }

    /** Adds a {@code string} member (hashed as keccak256 of its UTF-8 bytes). */
    public Builder string(String name, String value) {
      Objects.requireNonNull(value, name);
      return add("string", name, Hash.sha3(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Adds a dynamic {@code bytes} member (hashed as keccak256 of its contents). */
    public Builder bytes(String name, byte[] value) {
      Objects.requireNonNull(value, name);
      return add("bytes", name, Hash.sha3(value));
    }

    /** Builds the struct. */
    public TypedStruct build() {
      return new TypedStruct(typeName, members);
    }

    private Builder add(String type, String name, byte[] encoded) {
      if (!names.add(identifier(name))) {
        throw new IllegalArgumentException("duplicate member " + name);
      }
      members.add(new Member(type, name, encoded));
      return this;
    }

    private static String identifier(String name) {
      Objects.requireNonNull(name, "name");
      if (!IDENTIFIER.matcher(name).matches()) {
        throw new IllegalArgumentException("not a valid EIP-712 identifier: " + name);
      }
      return name;
    }
  }
}
