package dev.mpp.evm.signer;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * scrypt (RFC 7914) without the RFC's {@code N < 2^(128·r/8)} restriction that BouncyCastle's
 * {@code SCrypt} enforces: Web3 keystores routinely use {@code n = 2^18, r = 1} (the Web3 Secret
 * Storage test vector, ox and viem defaults), which geth, ethers and noble all accept. The bound
 * exists in the RFC only for Integerify's range; with {@code N ≤ 2^31} the low 32 bits suffice.
 */
final class Scrypt {

  private Scrypt() {}

  /**
   * Derives {@code dkLen} bytes. Callers bound the parameters; here they only need to be
   * well-formed: {@code n} a power of two in [2, 2^30], {@code r, p ≥ 1}, {@code 128·r·n} and
   * {@code 128·r·p} addressable.
   */
  static byte[] derive(byte[] password, byte[] salt, int n, int r, int p, int dkLen) {
    if (n < 2 || Integer.bitCount(n) != 1 || r < 1 || p < 1 || (long) n * r > (1 << 25)) {
      throw new IllegalArgumentException("invalid scrypt parameters");
    }
    int blockInts = 32 * r;
    byte[] b = pbkdf2(password, salt, 128 * r * p);
    int[] x = new int[blockInts];
    int[] v = new int[n * blockInts];
    int[] scratch = new int[16];
    int[] y = new int[blockInts];
    try {
      for (int i = 0; i < p; i++) {
        littleEndianToInts(b, i * 128 * r, x);
        roMix(x, v, y, scratch, n, r);
        intsToLittleEndian(x, b, i * 128 * r);
      }
      return pbkdf2(password, b, dkLen);
    } finally {
      Arrays.fill(b, (byte) 0);
      Arrays.fill(x, 0);
      Arrays.fill(v, 0);
      Arrays.fill(y, 0);
      Arrays.fill(scratch, 0);
    }
  }

  private static void roMix(int[] x, int[] v, int[] y, int[] scratch, int n, int r) {
    int blockInts = 32 * r;
    for (int i = 0; i < n; i++) {
      System.arraycopy(x, 0, v, i * blockInts, blockInts);
      blockMix(x, y, scratch, r);
    }
    int mask = n - 1;
    for (int i = 0; i < n; i++) {
      int j = x[(2 * r - 1) * 16] & mask;
      int offset = j * blockInts;
      for (int k = 0; k < blockInts; k++) {
        x[k] ^= v[offset + k];
      }
      blockMix(x, y, scratch, r);
    }
  }

  /** BlockMix_{Salsa20/8, r}: b is 2r 16-word blocks; the result replaces b. */
  private static void blockMix(int[] b, int[] y, int[] t, int r) {
    System.arraycopy(b, (2 * r - 1) * 16, t, 0, 16);
    for (int i = 0; i < 2 * r; i++) {
      for (int k = 0; k < 16; k++) {
        t[k] ^= b[i * 16 + k];
      }
      Salsa20Engine.salsaCore(8, t, t);
      // Even blocks go to the first half, odd blocks to the second.
      int target = (i % 2 == 0 ? i / 2 : r + i / 2) * 16;
      System.arraycopy(t, 0, y, target, 16);
    }
    System.arraycopy(y, 0, b, 0, 32 * r);
  }

  private static byte[] pbkdf2(byte[] password, byte[] salt, int length) {
    PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA256Digest());
    generator.init(password, salt, 1);
    return ((KeyParameter) generator.generateDerivedParameters(length * 8)).getKey();
  }

  private static void littleEndianToInts(byte[] source, int offset, int[] target) {
    for (int i = 0; i < target.length; i++) {
      int o = offset + 4 * i;
      target[i] =
          (source[o] & 0xff)
              | (source[o + 1] & 0xff) << 8
              | (source[o + 2] & 0xff) << 16
              | (source[o + 3] & 0xff) << 24;
    }
  }

  private static void intsToLittleEndian(int[] source, byte[] target, int offset) {
    for (int i = 0; i < source.length; i++) {
      int o = offset + 4 * i;
      target[o] = (byte) source[i];
      target[o + 1] = (byte) (source[i] >>> 8);
      target[o + 2] = (byte) (source[i] >>> 16);
      target[o + 3] = (byte) (source[i] >>> 24);
    }
  }
}
