package dev.mpp.evm.signer;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.web3j.crypto.Sign;

/**
 * Deterministic (RFC 6979) secp256k1 ECDSA that also returns the recovery id.
 *
 * <p>It performs exactly BouncyCastle's {@code ECDSASigner} computation (the one web3j uses), so
 * signatures are identical to web3j's {@code Sign.signMessage}; but where web3j then searches for
 * the recovery id by recovering public keys (up to four EC multiplications each), this reads it
 * from the parity of the ephemeral point R, which signing computes anyway.
 */
final class Secp256k1 {

  private static final X9ECParameters CURVE = Sign.CURVE_PARAMS;
  private static final BigInteger N = CURVE.getN();
  private static final BigInteger HALF_N = N.shiftRight(1);
  private static final ECPoint G = CURVE.getG();
  private static final ECMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();

  private Secp256k1() {}

  /** Signs {@code hash32} with private scalar {@code d}; the result is canonical (low s). */
  static Signature sign(BigInteger d, byte[] hash32) {
    BigInteger e = new BigInteger(1, hash32); // a 256-bit hash needs no truncation for this n
    HMacDSAKCalculator kCalculator = new HMacDSAKCalculator(new SHA256Digest());
    kCalculator.init(N, d, hash32);
    while (true) {
      BigInteger k = kCalculator.nextK();
      ECPoint p = BASE_MULTIPLIER.multiply(G, k).normalize();
      BigInteger x = p.getAffineXCoord().toBigInteger();
      BigInteger r = x.mod(N);
      if (r.signum() == 0) {
        continue;
      }
      BigInteger s = BigIntegers.modOddInverse(N, k).multiply(e.add(d.multiply(r))).mod(N);
      if (s.signum() == 0) {
        continue;
      }
      if (x.compareTo(N) >= 0) {
        // R.x overflowed the order (probability ~2^-128): no Ethereum v can express it.
        throw new SignerException("signature not expressible with v 27/28; cannot sign this hash");
      }
      int recoveryId = p.getAffineYCoord().testBitZero() ? 1 : 0;
      if (s.compareTo(HALF_N) > 0) {
        s = N.subtract(s);
        recoveryId ^= 1;
      }
      return Signature.of(r, s, 27 + recoveryId);
    }
  }
}
