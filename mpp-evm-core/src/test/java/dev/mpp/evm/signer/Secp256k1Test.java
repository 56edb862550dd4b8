package dev.mpp.evm.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

class Secp256k1Test {

  private static final BigInteger N = Sign.CURVE_PARAMS.getN();

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void signaturesAreIdenticalToWeb3jIncludingTheRecoveryId(int seed) {
    Random random = new Random(seed);
    for (int i = 0; i < 60; i++) {
      BigInteger d =
          new BigInteger(256, random).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      byte[] hash = new byte[32];
      random.nextBytes(hash);
      if (i % 10 == 0) {
        java.util.Arrays.fill(hash, (byte) 0xff); // e above n: exercises the reduction
      }

      Signature ours = Secp256k1.sign(d, hash);
      Sign.SignatureData web3j = Sign.signMessage(hash, ECKeyPair.create(d), false);

      byte[] expected = new byte[65];
      System.arraycopy(web3j.getR(), 0, expected, 0, 32);
      System.arraycopy(web3j.getS(), 0, expected, 32, 32);
      expected[64] = web3j.getV()[0];
      assertThat(ours.toBytes()).isEqualTo(expected);
    }
  }
}
