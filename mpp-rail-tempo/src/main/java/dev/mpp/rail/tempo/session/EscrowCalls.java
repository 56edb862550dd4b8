package dev.mpp.rail.tempo.session;

import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.web3j.crypto.Hash;

/**
 * Call data of the escrow functions a session client uses, for both channel generations, and the
 * decoding of the channel state they report.
 *
 * <ul>
 *   <li>v1 ({@code TempoStreamChannel}, the ABI mppx ships as {@code escrow.abi.js}): {@code
 *       open(address payee, address token, uint128 deposit, bytes32 salt, address
 *       authorizedSigner)}, {@code topUp(bytes32 channelId, uint256 additionalDeposit)}, {@code
 *       getChannel(bytes32)} returning {@code (bool finalized, uint64 closeRequestedAt, address
 *       payer, address payee, address token, address authorizedSigner, uint128 deposit, uint128
 *       settled)}; the deposit moves by {@code transferFrom}, so the open transaction first calls
 *       the token's {@code approve(escrow, deposit)}.
 *   <li>v2 (TIP-1034 precompile): {@code open(address payee, address operator, address token,
 *       uint96 deposit, bytes32 salt, address authorizedSigner)}, {@code topUp(descriptor,
 *       uint96)}, {@code getChannelState(bytes32)} returning {@code (uint96 settled, uint96
 *       deposit, uint32 closeRequestedAt)}.
 * </ul>
 */
public final class EscrowCalls {

  static final byte[] APPROVE = selector("approve(address,uint256)");
  static final byte[] V1_OPEN = selector("open(address,address,uint128,bytes32,address)");
  static final byte[] V1_TOP_UP = selector("topUp(bytes32,uint256)");
  static final byte[] V1_GET_CHANNEL = selector("getChannel(bytes32)");
  private static final String DESCRIPTOR =
      "(address,address,address,address,bytes32,address,bytes32)";
  static final byte[] V2_OPEN = selector("open(address,address,address,uint96,bytes32,address)");
  static final byte[] V2_TOP_UP = selector("topUp(" + DESCRIPTOR + ",uint96)");
  static final byte[] V2_GET_CHANNEL_STATE = selector("getChannelState(bytes32)");

  private EscrowCalls() {}

  /** The TIP-20 {@code approve(spender, amount)} call data. */
  public static byte[] approve(EvmAddress spender, BigInteger amount) {
    return Abi.call(APPROVE, 2).address(spender).uint(amount, 256).build();
  }

  /** The v1 escrow's {@code open} call data. */
  public static byte[] openV1(
      EvmAddress payee,
      EvmAddress token,
      BigInteger deposit,
      Bytes32 salt,
      EvmAddress authorizedSigner) {
    return Abi.call(V1_OPEN, 5)
        .address(payee)
        .address(token)
        .uint(deposit, 128)
        .bytes32(salt)
        .address(authorizedSigner)
        .build();
  }

  /** The v1 escrow's {@code topUp} call data (the legacy ABI takes a {@code uint256}). */
  public static byte[] topUpV1(Bytes32 channelId, BigInteger additionalDeposit) {
    return Abi.call(V1_TOP_UP, 2).bytes32(channelId).uint(additionalDeposit, 256).build();
  }

  /** The v1 escrow's {@code getChannel} call data. */
  public static byte[] getChannelV1(Bytes32 channelId) {
    return Abi.call(V1_GET_CHANNEL, 1).bytes32(channelId).build();
  }

  /** The TIP-1034 precompile's {@code open} call data. */
  public static byte[] openV2(
      EvmAddress payee,
      EvmAddress operator,
      EvmAddress token,
      BigInteger deposit,
      Bytes32 salt,
      EvmAddress authorizedSigner) {
    return Abi.call(V2_OPEN, 6)
        .address(payee)
        .address(operator)
        .address(token)
        .uint(deposit, 96)
        .bytes32(salt)
        .address(authorizedSigner)
        .build();
  }

  /** The TIP-1034 precompile's {@code topUp} call data. */
  public static byte[] topUpV2(ChannelDescriptor descriptor, BigInteger additionalDeposit) {
    if (descriptor.protocol() != SessionProtocol.V2) {
      throw new IllegalArgumentException("not a v2 channel");
    }
    return descriptor.appendTuple(Abi.call(V2_TOP_UP, 8)).uint(additionalDeposit, 96).build();
  }

  /** The TIP-1034 precompile's {@code getChannelState} call data. */
  public static byte[] getChannelStateV2(Bytes32 channelId) {
    return Abi.call(V2_GET_CHANNEL_STATE, 1).bytes32(channelId).build();
  }

  /**
   * Decodes the return data of v1 {@code getChannel}.
   *
   * @throws IllegalArgumentException if the data is not such a struct
   */
  public static EscrowChannel decodeChannelV1(byte[] data) {
    Objects.requireNonNull(data, "data");
    if (data.length != 8 * 32) {
      throw new IllegalArgumentException(
          "getChannel returns 8 words, got " + data.length + " bytes");
    }
    return new EscrowChannel(
        Abi.readBool(data, 0),
        Abi.readUint(data, 1, 64).longValueExact(),
        Abi.readAddress(data, 2),
        Abi.readAddress(data, 3),
        Abi.readAddress(data, 4),
        Abi.readAddress(data, 5),
        Abi.readUint(data, 6, 128),
        Abi.readUint(data, 7, 128));
  }

  /**
   * Decodes the return data of v2 {@code getChannelState}; the parties are not part of the state
   * (they are in the descriptor) and are returned as null.
   *
   * @throws IllegalArgumentException if the data is not such a tuple
   */
  public static EscrowChannel decodeChannelStateV2(byte[] data) {
    Objects.requireNonNull(data, "data");
    if (data.length != 3 * 32) {
      throw new IllegalArgumentException("getChannelState returns 3 words");
    }
    BigInteger settled = Abi.readUint(data, 0, 96);
    BigInteger deposit = Abi.readUint(data, 1, 96);
    long closeRequestedAt = Abi.readUint(data, 2, 32).longValueExact();
    return new EscrowChannel(false, closeRequestedAt, null, null, null, null, deposit, settled);
  }

  static byte[] selector(String signature) {
    return Arrays.copyOf(Hash.sha3(signature.getBytes(StandardCharsets.US_ASCII)), 4);
  }
}
