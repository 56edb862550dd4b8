package dev.mpp.rail.tempo;

import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Call data for the TIP-20 token functions a charge uses. All arguments are static ABI types, so
 * the encoding is a selector followed by 32-byte words.
 */
public final class Tip20 {

  /** {@code transfer(address,uint256)} selector. */
  static final byte[] TRANSFER = {(byte) 0xa9, 0x05, (byte) 0x9c, (byte) 0xbb};

  /** {@code transferWithMemo(address,uint256,bytes32)} selector. */
  static final byte[] TRANSFER_WITH_MEMO = {(byte) 0x95, 0x77, 0x7d, 0x59};

  /** {@code balanceOf(address)} selector. */
  static final byte[] BALANCE_OF = {0x70, (byte) 0xa0, (byte) 0x82, 0x31};

  private Tip20() {}

  /** A decoded {@code transfer} or {@code transferWithMemo} call. */
  public record Transfer(EvmAddress recipient, BigInteger amount, Optional<Memo> memo) {

    /** Validates the components. */
    public Transfer {
      Objects.requireNonNull(recipient, "recipient");
      Objects.requireNonNull(amount, "amount");
      Objects.requireNonNull(memo, "memo");
    }
  }

  /** Returns the call data of {@code transfer(to, amount)}. */
  public static byte[] transfer(EvmAddress to, BigInteger amount) {
    byte[] data = new byte[4 + 64];
    System.arraycopy(TRANSFER, 0, data, 0, 4);
    putAddress(data, 4, to);
    putUint256(data, 36, amount);
    return data;
  }

  /** Returns the call data of {@code transferWithMemo(to, amount, memo)}. */
  public static byte[] transferWithMemo(EvmAddress to, BigInteger amount, Memo memo) {
    Objects.requireNonNull(memo, "memo");
    byte[] data = new byte[4 + 96];
    System.arraycopy(TRANSFER_WITH_MEMO, 0, data, 0, 4);
    putAddress(data, 4, to);
    putUint256(data, 36, amount);
    memo.copyTo(data, 68);
    return data;
  }

  /** Returns the call data of {@code balanceOf(owner)}. */
  public static byte[] balanceOf(EvmAddress owner) {
    byte[] data = new byte[4 + 32];
    System.arraycopy(BALANCE_OF, 0, data, 0, 4);
    putAddress(data, 4, owner);
    return data;
  }

  /**
   * Decodes {@code transfer} / {@code transferWithMemo} call data, or returns empty for anything
   * else (other selectors, wrong length, dirty address padding).
   */
  public static Optional<Transfer> decodeTransfer(byte[] data) {
    Objects.requireNonNull(data, "data");
    boolean withMemo = data.length == 100 && startsWith(data, TRANSFER_WITH_MEMO);
    boolean plain = data.length == 68 && startsWith(data, TRANSFER);
    if (!withMemo && !plain) {
      return Optional.empty();
    }
    for (int i = 4; i < 16; i++) {
      if (data[i] != 0) {
        return Optional.empty();
      }
    }
    EvmAddress recipient = EvmAddress.of(Arrays.copyOfRange(data, 16, 36));
    BigInteger amount = new BigInteger(1, Arrays.copyOfRange(data, 36, 68));
    Optional<Memo> memo =
        withMemo ? Optional.of(Memo.of(Arrays.copyOfRange(data, 68, 100))) : Optional.empty();
    return Optional.of(new Transfer(recipient, amount, memo));
  }

  private static boolean startsWith(byte[] data, byte[] selector) {
    return Arrays.equals(data, 0, 4, selector, 0, 4);
  }

  private static void putAddress(byte[] target, int offset, EvmAddress address) {
    Objects.requireNonNull(address, "address");
    byte[] bytes = address.toBytes();
    System.arraycopy(bytes, 0, target, offset + 12, 20);
  }

  private static void putUint256(byte[] target, int offset, BigInteger value) {
    Objects.requireNonNull(value, "value");
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new IllegalArgumentException("amount must be a uint256");
    }
    byte[] bytes = value.toByteArray();
    int length = bytes.length;
    int start = 0;
    if (length > 32) { // a leading sign byte
      start = 1;
      length = 32;
    }
    System.arraycopy(bytes, start, target, offset + 32 - length, length);
  }
}
