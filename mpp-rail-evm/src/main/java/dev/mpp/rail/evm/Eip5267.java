package dev.mpp.rail.evm;

import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.Utils;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes1;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * Reads a contract's EIP-712 domain through EIP-5267 {@code eip712Domain()}. Only domains made of
 * exactly {@code name, version, chainId, verifyingContract} are accepted, since that is the domain
 * EIP-3009 authorizations are signed under; anything else would produce signatures the token
 * rejects.
 */
final class Eip5267 {
  /** {@code bytes4(keccak256("eip712Domain()"))}. */
  static final byte[] SELECTOR = HexFormat.of().parseHex("84b0196e");

  /**
   * The fields bitmap for name (0x01), version (0x02), chainId (0x04), verifyingContract (0x08).
   */
  private static final int EXPECTED_FIELDS = 0x0f;

  @SuppressWarnings("rawtypes")
  private static final List<TypeReference<Type>> OUTPUTS =
      Utils.convert(
          List.of(
              new TypeReference<Bytes1>() {},
              new TypeReference<Utf8String>() {},
              new TypeReference<Utf8String>() {},
              new TypeReference<Uint256>() {},
              new TypeReference<Address>() {},
              new TypeReference<Bytes32>() {},
              new TypeReference<DynamicArray<Uint256>>() {}));

  private Eip5267() {}

  /**
   * Reads and checks the domain of {@code token}.
   *
   * @throws IllegalStateException if the token does not implement EIP-5267 or reports a domain that
   *     is not {@code {name, version, chainId, verifyingContract = token}}
   * @throws dev.mpp.evm.chain.JsonRpcException if the call fails
   */
  static TokenDomain read(JsonRpcClient rpc, long chainId, EvmAddress token) {
    byte[] result = rpc.call(token, SELECTOR);
    List<Type> values;
    try {
      values = FunctionReturnDecoder.decode("0x" + HexFormat.of().formatHex(result), OUTPUTS);
    } catch (RuntimeException e) {
      values = List.of();
    }
    if (values.size() != OUTPUTS.size()) {
      throw new IllegalStateException("token does not implement eip712Domain() (EIP-5267)");
    }
    int fields = ((byte[]) values.get(0).getValue())[0] & 0xff;
    if (fields != EXPECTED_FIELDS) {
      throw new IllegalStateException(
          "token's EIP-712 domain has fields 0x"
              + Integer.toHexString(fields)
              + ", expected name, version, chainId and verifyingContract only");
    }
    BigInteger reportedChain = (BigInteger) values.get(3).getValue();
    if (!reportedChain.equals(BigInteger.valueOf(chainId))) {
      throw new IllegalStateException(
          "token reports chain " + reportedChain + " in its EIP-712 domain, expected " + chainId);
    }
    EvmAddress contract = EvmAddress.parse(((Address) values.get(4)).getValue());
    if (!contract.equals(token)) {
      throw new IllegalStateException("token's EIP-712 verifyingContract is another address");
    }
    return new TokenDomain((String) values.get(1).getValue(), (String) values.get(2).getValue());
  }
}
