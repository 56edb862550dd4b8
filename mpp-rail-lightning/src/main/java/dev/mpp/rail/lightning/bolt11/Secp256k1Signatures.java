package dev.mpp.rail.lightning.bolt11;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Curve;

/**
 * Compact recoverable secp256k1 signatures (64 bytes r || s plus a recovery id), as BOLT #11 signs
 * invoices.
 */
final class Secp256k1Signatures {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  private static final BigInteger HALF_N = CURVE.getN().shiftRight(1);

  private Secp256k1Signatures() {}

  /**
   * Recovers the public key that produced {@code signature} over {@code hash}.
   *
   * @return the 33-byte compressed key
   * @throws Bolt11Exception when no key can be recovered
   */
  static byte[] recover(byte[] hash, byte[] signature, int recoveryId) {
    BigInteger n = DOMAIN.getN();
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (recoveryId < 0 || recoveryId > 3) {
      throw new Bolt11Exception("signature recovery id must be 0..3");
    }
    if (r.signum() == 0 || r.compareTo(n) >= 0 || s.signum() == 0 || s.compareTo(n) >= 0) {
      throw new Bolt11Exception("signature is not recoverable");
    }
    BigInteger x = r.add(n.multiply(BigInteger.valueOf(recoveryId / 2)));
    if (x.compareTo(SecP256K1Curve.q) >= 0) {
      throw new Bolt11Exception("signature is not recoverable");
    }
    ECPoint point;
    try {
      byte[] encoded = new byte[33];
      encoded[0] = (byte) ((recoveryId & 1) == 1 ? 0x03 : 0x02);
      byte[] xb = x.toByteArray();
      int len = Math.min(xb.length, 32);
      System.arraycopy(xb, xb.length - len, encoded, 33 - len, len);
      point = DOMAIN.getCurve().decodePoint(encoded);
    } catch (IllegalArgumentException e) {
      throw new Bolt11Exception("signature is not recoverable");
    }
    if (!point.multiply(n).isInfinity()) {
      throw new Bolt11Exception("signature is not recoverable");
    }
    BigInteger e = new BigInteger(1, hash);
    BigInteger rInv = r.modInverse(n);
    BigInteger u1 = e.negate().mod(n).multiply(rInv).mod(n);
    BigInteger u2 = s.multiply(rInv).mod(n);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(DOMAIN.getG(), u1, point, u2).normalize();
    if (q.isInfinity()) {
      throw new Bolt11Exception("signature is not recoverable");
    }
    return q.getEncoded(true);
  }

  /** Verifies a 64-byte signature over {@code hash} against a compressed public key. */
  static boolean verify(byte[] hash, byte[] signature, byte[] publicKey) {
    ECPoint q;
    try {
      q = DOMAIN.getCurve().decodePoint(publicKey);
    } catch (IllegalArgumentException e) {
      return false;
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(q, DOMAIN));
    return verifier.verifySignature(
        hash,
        new BigInteger(1, Arrays.copyOfRange(signature, 0, 32)),
        new BigInteger(1, Arrays.copyOfRange(signature, 32, 64)));
  }

  /** Signs deterministically (RFC 6979, low s) and returns r || s || recoveryId (65 bytes). */
  static byte[] sign(byte[] hash, BigInteger privateKey) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(privateKey, DOMAIN));
    BigInteger[] rs = signer.generateSignature(hash);
    BigInteger s = rs[1].compareTo(HALF_N) > 0 ? DOMAIN.getN().subtract(rs[1]) : rs[1];
    byte[] out = new byte[65];
    writeFixed(rs[0], out, 0);
    writeFixed(s, out, 32);
    byte[] expected = publicKey(privateKey);
    for (int id = 0; id < 4; id++) {
      try {
        if (Arrays.equals(recover(hash, out, id), expected)) {
          out[64] = (byte) id;
          return out;
        }
      } catch (Bolt11Exception notThisId) {
        // try the next recovery id
      }
    }
    throw new IllegalStateException("no recovery id reproduces the signing key");
  }

  /** The compressed public key of a private key. */
  static byte[] publicKey(BigInteger privateKey) {
    if (privateKey.signum() <= 0 || privateKey.compareTo(DOMAIN.getN()) >= 0) {
      throw new IllegalArgumentException("private key out of range");
    }
    return DOMAIN.getG().multiply(privateKey).normalize().getEncoded(true);
  }

  private static void writeFixed(BigInteger v, byte[] out, int off) {
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, off + 32 - len, len);
  }
}
