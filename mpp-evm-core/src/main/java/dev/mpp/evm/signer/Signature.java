package dev.mpp.evm.signer;

import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * A recoverable secp256k1 signature in Ethereum form: {@code r}, a low {@code s} and {@code v} ∈
 * {27, 28}.
 *
 * <p>Instances are always canonical (EIP-2: {@code s ≤ n/2}), so two signatures over the same hash
 * by the same key compare equal. Use {@link #fromRs} to turn the bare {@code (r, s)} pair that a
 * KMS or HSM returns into a recoverable signature.
 */
public final class Signature {

  /** The length of {@link #toBytes()}: {@code r ‖ s ‖ v}. */
  public static final int LENGTH = 65;

  private static final BigInteger N = Sign.CURVE_PARAMS.getN();
  private static final BigInteger HALF_N = N.shiftRight(1);
  private static final HexFormat HEX = HexFormat.of();

  private final BigInteger r;
  private final BigInteger s;
  private final int v;

  private Signature(BigInteger r, BigInteger s, int v) {
    this.r = r;
    this.s = s;
    this.v = v;
  }

  /**
   * Creates a signature from canonical components.
   *
   * @param v 27 or 28
   * @throws IllegalArgumentException if {@code r} or {@code s} is out of range, {@code s} is high
   *     (not EIP-2 canonical) or {@code v} is not 27/28
   */
  public static Signature of(BigInteger r, BigInteger s, int v) {
    Objects.requireNonNull(r, "r");
    Objects.requireNonNull(s, "s");
    if (r.signum() <= 0 || r.compareTo(N) >= 0) {
      throw new IllegalArgumentException("r is out of range");
    }
    if (s.signum() <= 0 || s.compareTo(HALF_N) > 0) {
      throw new IllegalArgumentException("s is zero or not low (EIP-2)");
    }
    if (v != 27 && v != 28) {
      throw new IllegalArgumentException("v must be 27 or 28, got " + v);
    }
    return new Signature(r, s, v);
  }

  /**
   * Creates a canonical signature from possibly high-{@code s} components, flipping {@code s} and
   * the recovery id when needed.
   *
   * @param recoveryId 0 or 1 (the parity of the ephemeral point's y), as found for the given {@code
   *     s}
   */
  public static Signature normalize(BigInteger r, BigInteger s, int recoveryId) {
    if (recoveryId != 0 && recoveryId != 1) {
      throw new IllegalArgumentException("recovery id must be 0 or 1, got " + recoveryId);
    }
    Objects.requireNonNull(s, "s");
    if (s.signum() > 0 && s.compareTo(HALF_N) > 0 && s.compareTo(N) < 0) {
      return of(r, N.subtract(s), 27 + (recoveryId ^ 1));
    }
    return of(r, s, 27 + recoveryId);
  }

  /**
   * Builds a recoverable signature from the bare {@code (r, s)} pair an external signer returns
   * (for example the DER output of a cloud KMS), finding the recovery id that yields {@code
   * expectedSigner}.
   *
   * @param hash32 the 32-byte hash that was signed
   * @throws IllegalArgumentException if no recovery id yields {@code expectedSigner}, i.e. the pair
   *     is not a signature of {@code hash32} by that account
   */
  public static Signature fromRs(
      byte[] hash32, BigInteger r, BigInteger s, EvmAddress expectedSigner) {
    requireHash(hash32);
    Objects.requireNonNull(expectedSigner, "expectedSigner");
    Objects.requireNonNull(r, "r");
    Objects.requireNonNull(s, "s");
    BigInteger lowS = s.compareTo(HALF_N) > 0 ? N.subtract(s) : s;
    for (int recoveryId = 0; recoveryId < 2; recoveryId++) {
      Signature candidate = of(r, lowS, 27 + recoveryId);
      if (expectedSigner.equals(candidate.recoverSigner(hash32))) {
        return candidate;
      }
    }
    throw new IllegalArgumentException(
        "(r, s) is not a signature of this hash by " + expectedSigner);
  }

  /**
   * Parses the 65-byte form {@code r ‖ s ‖ v}; {@code v} may be 27/28 or 0/1.
   *
   * @throws IllegalArgumentException if the bytes are not a canonical signature
   */
  public static Signature fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a signature has 65 bytes, got " + bytes.length);
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(bytes, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(bytes, 32, 64));
    int v = bytes[64] & 0xff;
    return of(r, s, v < 27 ? v + 27 : v);
  }

  /** Parses the {@code 0x}-prefixed hex of {@link #fromBytes(byte[])}. */
  public static Signature fromHex(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (!hex.startsWith("0x")) {
      throw new IllegalArgumentException("signature hex must start with 0x");
    }
    return fromBytes(HEX.parseHex(hex, 2, hex.length()));
  }

  /** Returns {@code r}. */
  public BigInteger r() {
    return r;
  }

  /** Returns {@code s}, always in the lower half of the curve order. */
  public BigInteger s() {
    return s;
  }

  /** Returns {@code v}: 27 or 28. */
  public int v() {
    return v;
  }

  /** Returns the y-parity (recovery id) 0 or 1, i.e. {@code v - 27}. */
  public int yParity() {
    return v - 27;
  }

  /** Returns the 65-byte form {@code r ‖ s ‖ v} with {@code v} as 27/28. */
  public byte[] toBytes() {
    byte[] out = new byte[LENGTH];
    System.arraycopy(Numeric.toBytesPadded(r, 32), 0, out, 0, 32);
    System.arraycopy(Numeric.toBytesPadded(s, 32), 0, out, 32, 32);
    out[64] = (byte) v;
    return out;
  }

  /** Returns {@link #toBytes()} as {@code 0x}-prefixed lowercase hex. */
  public String toHex() {
    return "0x" + HEX.formatHex(toBytes());
  }

  /**
   * Recovers the account that produced this signature over {@code hash32}.
   *
   * @throws IllegalArgumentException if no public key can be recovered
   */
  public EvmAddress recoverSigner(byte[] hash32) {
    requireHash(hash32);
    BigInteger publicKey = Sign.recoverFromSignature(yParity(), new ECDSASignature(r, s), hash32);
    if (publicKey == null) {
      throw new IllegalArgumentException("no public key recovers from this signature");
    }
    return EvmAddress.of(Keys.getAddress(Numeric.toBytesPadded(publicKey, 64)));
  }

  static byte[] requireHash(byte[] hash32) {
    Objects.requireNonNull(hash32, "hash32");
    if (hash32.length != 32) {
      throw new IllegalArgumentException("expected a 32-byte hash, got " + hash32.length);
    }
    return hash32;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Signature other && v == other.v && r.equals(other.r) && s.equals(other.s);
  }

  @Override
  public int hashCode() {
    return Objects.hash(r, s, v);
  }

  /** Returns an abbreviated form; use {@link #toHex()} for the full value. */
  @Override
  public String toString() {
    String hex = r.toString(16);
    return "Signature[v=" + v + ", r=0x" + hex.substring(0, Math.min(8, hex.length())) + "…]";
  }
}
