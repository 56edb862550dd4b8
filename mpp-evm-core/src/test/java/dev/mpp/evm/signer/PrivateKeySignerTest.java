package dev.mpp.evm.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

class PrivateKeySignerTest {

  private static final String KEY_HEX =
      "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
  private static final String ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
  private static final BigInteger HALF_N = Sign.CURVE_PARAMS.getN().shiftRight(1);

  @Test
  void derivesTheChecksummedAddress() {
    assertThat(PrivateKeySigner.of(("0x" + KEY_HEX).toCharArray()).address()).isEqualTo(ADDRESS);
    assertThat(PrivateKeySigner.of(("  " + KEY_HEX.toUpperCase() + "\n").toCharArray()).address())
        .isEqualTo(ADDRESS);
  }

  @Test
  void wipesTheCharArray() {
    char[] key = ("0x" + KEY_HEX).toCharArray();

    PrivateKeySigner.of(key);

    assertThat(new String(key)).containsOnlyOnce("\0".repeat(key.length));
  }

  @Test
  void wipesTheArraysAlsoOnFailure() {
    char[] chars = ("0x" + KEY_HEX + "00").toCharArray();
    byte[] bytes = new byte[31];
    bytes[3] = 7;

    assertThatThrownBy(() -> PrivateKeySigner.of(chars)).isInstanceOf(SignerException.class);
    assertThatThrownBy(() -> PrivateKeySigner.of(bytes)).isInstanceOf(SignerException.class);

    assertThat(chars).containsOnly('\0');
    assertThat(bytes).containsOnly(0);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "0x",
        "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff8",
        "zc0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        "\u0663c0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff8"
      })
  void rejectsInvalidKeysWithoutEchoingThem(String key) {
    assertThatThrownBy(() -> PrivateKeySigner.of(key.toCharArray()))
        .isInstanceOf(SignerException.class)
        .satisfies(
            e -> {
              if (key.length() > 8) {
                assertThat(e.getMessage()).doesNotContain(key.substring(2, 10));
              }
            });
  }

  @Test
  void readsTheKeyFromAnEnvironmentVariable() {
    Map<String, String> env = Map.of("PAYER_KEY", KEY_HEX + "\n");

    PrivateKeySigner signer = PrivateKeySigner.fromEnv("PAYER_KEY", env::get);

    assertThat(signer.address()).isEqualTo(ADDRESS);
  }

  @Test
  void reportsMissingOrBadEnvironmentVariablesByName() {
    Map<String, String> env = Map.of("BAD", "0x1234" + KEY_HEX.substring(10));

    assertThatThrownBy(() -> PrivateKeySigner.fromEnv("MISSING", env::get))
        .isInstanceOf(SignerException.class)
        .hasMessageContaining("MISSING");
    assertThatThrownBy(() -> PrivateKeySigner.fromEnv("BAD", env::get))
        .isInstanceOf(SignerException.class)
        .hasMessageContaining("BAD")
        .message()
        .doesNotContain(KEY_HEX.substring(10, 30));
  }

  @Test
  void toStringShowsOnlyTheAddress() {
    String text = PrivateKeySigner.of(KEY_HEX.toCharArray()).toString();

    assertThat(text).contains(ADDRESS).doesNotContainIgnoringCase(KEY_HEX.substring(0, 8));
  }

  @Test
  void signaturesAreLowSRecoverableAndMatchWeb3j() {
    Random random = new Random(42);
    PrivateKeySigner signer = PrivateKeySigner.of(KEY_HEX.toCharArray());
    ECKeyPair pair = ECKeyPair.create(new BigInteger(KEY_HEX, 16));
    for (int i = 0; i < 50; i++) {
      byte[] hash = new byte[32];
      random.nextBytes(hash);

      Signature signature = signer.sign(hash);

      assertThat(signature.s()).isLessThanOrEqualTo(HALF_N);
      assertThat(signature.v()).isIn(27, 28);
      assertThat(signature.recoverSigner(hash)).isEqualTo(EvmAddress.parse(ADDRESS));
      Sign.SignatureData reference = Sign.signMessage(hash, pair, false);
      assertThat(signature.toBytes()).startsWith(reference.getR()).endsWith(reference.getV()[0]);
    }
  }

  @Test
  void rejectsHashesOfTheWrongLength() {
    PrivateKeySigner signer = PrivateKeySigner.of(KEY_HEX.toCharArray());

    assertThatThrownBy(() -> signer.sign(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
