package dev.mpp.evm.signer;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * A {@link Signer} holding a raw secp256k1 private key in memory.
 *
 * <p>The factories zero the arrays they are given. The key itself lives on as a {@link BigInteger}
 * inside web3j's key pair, which cannot be wiped; keep the signer's lifetime short if that matters,
 * or use an external signer (see {@link Signer}). The key never appears in {@link #toString()},
 * logs or exception messages.
 */
public final class PrivateKeySigner implements Signer {

  private static final BigInteger N = Sign.CURVE_PARAMS.getN();

  private final ECKeyPair keyPair;
  private final String address;

  private PrivateKeySigner(ECKeyPair keyPair) {
    this.keyPair = keyPair;
    this.address = Keys.toChecksumAddress(Keys.getAddress(keyPair));
  }

  /**
   * Reads the key from an environment variable holding 64 hex digits (optionally {@code
   * 0x}-prefixed; surrounding whitespace is ignored).
   *
   * @throws SignerException if the variable is unset or does not hold a valid key
   */
  public static PrivateKeySigner fromEnv(String variable) {
    return fromEnv(variable, System::getenv);
  }

  static PrivateKeySigner fromEnv(String variable, UnaryOperator<String> environment) {
    Objects.requireNonNull(variable, "variable");
    String value = environment.apply(variable);
    if (value == null || value.isBlank()) {
      throw new SignerException("environment variable " + variable + " is not set");
    }
    try {
      return of(value.toCharArray());
    } catch (SignerException e) {
      throw new SignerException("environment variable " + variable + ": " + e.getMessage());
    }
  }

  /**
   * Creates a signer from a hex-encoded key (64 hex digits, optionally {@code 0x}-prefixed;
   * surrounding whitespace is ignored). The array is zeroed before this method returns, also on
   * failure.
   *
   * @throws SignerException if the characters are not a valid key
   */
  public static PrivateKeySigner of(char[] hexKey) {
    Objects.requireNonNull(hexKey, "hexKey");
    byte[] raw = new byte[32];
    try {
      int start = 0;
      int end = hexKey.length;
      while (start < end && Character.isWhitespace(hexKey[start])) {
        start++;
      }
      while (end > start && Character.isWhitespace(hexKey[end - 1])) {
        end--;
      }
      if (end - start >= 2 && hexKey[start] == '0' && (hexKey[start + 1] | 0x20) == 'x') {
        start += 2;
      }
      if (end - start != 64) {
        throw new SignerException("a private key must be 64 hex digits (optionally 0x-prefixed)");
      }
      for (int i = 0; i < 32; i++) {
        int hi = hexValue(hexKey[start + 2 * i]);
        int lo = hexValue(hexKey[start + 2 * i + 1]);
        if (hi < 0 || lo < 0) {
          throw new SignerException("a private key must contain only hex digits");
        }
        raw[i] = (byte) (hi << 4 | lo);
      }
      return of(raw);
    } finally {
      Arrays.fill(hexKey, '\0');
      Arrays.fill(raw, (byte) 0);
    }
  }

  /**
   * Creates a signer from the 32 raw key bytes. The array is zeroed before this method returns,
   * also on failure.
   *
   * @throws SignerException if the bytes are not a valid key (zero or not below the curve order)
   */
  public static PrivateKeySigner of(byte[] key32) {
    Objects.requireNonNull(key32, "key32");
    try {
      if (key32.length != 32) {
        throw new SignerException("a private key must be 32 bytes");
      }
      BigInteger scalar = new BigInteger(1, key32);
      if (scalar.signum() == 0 || scalar.compareTo(N) >= 0) {
        throw new SignerException("the private key is not a valid secp256k1 scalar");
      }
      return new PrivateKeySigner(ECKeyPair.create(scalar));
    } finally {
      Arrays.fill(key32, (byte) 0);
    }
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public Signature sign(byte[] hash32) {
    Signature.requireHash(hash32);
    return Secp256k1.sign(keyPair.getPrivateKey(), hash32);
  }

  /** Shows the address only. */
  @Override
  public String toString() {
    return "PrivateKeySigner[" + address + "]";
  }
}
