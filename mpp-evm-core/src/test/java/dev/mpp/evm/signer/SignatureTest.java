package dev.mpp.evm.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

class SignatureTest {

  private static final BigInteger N = Sign.CURVE_PARAMS.getN();
  private static final PrivateKeySigner SIGNER =
      PrivateKeySigner.of(
          "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d".toCharArray());

  @Test
  void roundTripsThroughBytesAndHex() {
    Signature signature = SIGNER.sign(new byte[32]);

    assertThat(Signature.fromBytes(signature.toBytes())).isEqualTo(signature);
    assertThat(Signature.fromHex(signature.toHex())).isEqualTo(signature);
    assertThat(signature.toBytes()).hasSize(65);
  }

  @Test
  void acceptsRecoveryIdsZeroAndOneInBytes() {
    Signature signature = SIGNER.sign(new byte[32]);
    byte[] bytes = signature.toBytes();
    bytes[64] = (byte) signature.yParity();

    assertThat(Signature.fromBytes(bytes)).isEqualTo(signature);
  }

  @Test
  void rejectsHighSAndBadV() {
    Signature signature = SIGNER.sign(new byte[32]);

    assertThatThrownBy(() -> Signature.of(signature.r(), N.subtract(signature.s()), signature.v()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Signature.of(signature.r(), signature.s(), 29))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Signature.of(BigInteger.ZERO, signature.s(), 27))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void normalizeFlipsHighSAndRecoveryId() {
    byte[] hash = new byte[32];
    hash[0] = 9;
    Signature low = SIGNER.sign(hash);

    Signature normalized = Signature.normalize(low.r(), N.subtract(low.s()), low.yParity() ^ 1);

    assertThat(normalized).isEqualTo(low);
  }

  @Test
  void fromRsFindsTheRecoveryIdLikeAKmsAdapterNeeds() {
    Random random = new Random(7);
    ECKeyPair pair =
        ECKeyPair.create(
            new BigInteger("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", 16));
    EvmAddress address = EvmAddress.parse(SIGNER.address());
    for (int i = 0; i < 20; i++) {
      byte[] hash = new byte[32];
      random.nextBytes(hash);
      ECDSASignature raw = pair.sign(hash);
      // A KMS may return either s; present the high one half of the time.
      BigInteger s = i % 2 == 0 ? raw.s : N.subtract(raw.s);

      Signature signature = Signature.fromRs(hash, raw.r, s, address);

      assertThat(signature).isEqualTo(SIGNER.sign(hash));
    }
  }

  @Test
  void fromRsRejectsASignatureByAnotherAccount() {
    byte[] hash = new byte[32];
    Signature signature = SIGNER.sign(hash);

    assertThatThrownBy(
            () -> Signature.fromRs(hash, signature.r(), signature.s(), EvmAddress.of(new byte[20])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringIsAbbreviated() {
    Signature signature = SIGNER.sign(new byte[32]);

    assertThat(signature.toString()).doesNotContain(signature.s().toString(16));
  }
}
