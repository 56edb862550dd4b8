package dev.mpp.evm.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeystoreSignerTest {

  /** Address of the Web3 Secret Storage test vectors' key. */
  private static final String SPEC_ADDRESS = "0x008AeEda4D805471dF9b2A5B0f38A0C3bCBA786b";

  private static final String OX_ADDRESS = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";

  private static String fixture(String name) throws IOException {
    try (InputStream in = KeystoreSignerTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void decryptsTheSpecScryptVector() throws IOException {
    KeystoreSigner signer =
        KeystoreSigner.fromJson(
            fixture("web3-secret-storage-scrypt.json"), "testpassword".toCharArray());

    assertThat(signer.address()).isEqualTo(SPEC_ADDRESS);
  }

  @Test
  void decryptsTheSpecPbkdf2Vector() throws IOException {
    KeystoreSigner signer =
        KeystoreSigner.fromJson(
            fixture("web3-secret-storage-pbkdf2.json"), "testpassword".toCharArray());

    assertThat(signer.address()).isEqualTo(SPEC_ADDRESS);
  }

  @Test
  void opensAnOxScryptKeystoreFileAndWipesThePassword(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("key.json"), fixture("ox-scrypt.json"));
    char[] password = "correct horse battery staple".toCharArray();

    KeystoreSigner signer = KeystoreSigner.open(file, password);

    assertThat(signer.address()).isEqualTo(OX_ADDRESS);
    assertThat(password).containsOnly('\0');
    assertThat(signer.toString()).isEqualTo("KeystoreSigner[" + OX_ADDRESS + "]");
  }

  @Test
  void encodesNonAsciiPasswordsAsUtf8() throws IOException {
    KeystoreSigner signer =
        KeystoreSigner.fromJson(fixture("ox-pbkdf2.json"), "pässwörd ✓".toCharArray());

    assertThat(signer.address()).isEqualTo(OX_ADDRESS);
  }

  @Test
  void signsLikeThePlainKey() throws IOException {
    KeystoreSigner signer =
        KeystoreSigner.fromJson(fixture("ox-pbkdf2.json"), "pässwörd ✓".toCharArray());
    PrivateKeySigner plain =
        PrivateKeySigner.of(
            "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318".toCharArray());
    byte[] hash = new byte[32];
    hash[5] = 1;

    assertThat(signer.sign(hash)).isEqualTo(plain.sign(hash));
  }

  @Test
  void rejectsAWrongPasswordAndStillWipesIt() throws IOException {
    char[] password = "wrong".toCharArray();
    String json = fixture("ox-pbkdf2.json");

    assertThatThrownBy(() -> KeystoreSigner.fromJson(json, password))
        .isInstanceOf(SignerException.class)
        .hasMessageContaining("wrong keystore password");
    assertThat(password).containsOnly('\0');
  }

  @Test
  void rejectsAnAddressFieldThatDoesNotMatchTheKey() throws IOException {
    String json =
        fixture("ox-scrypt.json")
            .replace(
                "2c7536e3605d9c16a7a3d7b1898e529396a65c23",
                "2c7536e3605d9c16a7a3d7b1898e529396a65c24");

    assertThatThrownBy(
            () -> KeystoreSigner.fromJson(json, "correct horse battery staple".toCharArray()))
        .isInstanceOf(SignerException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void refusesExcessiveKdfParametersBeforeDerivingAnything() throws IOException {
    String hugeScrypt = fixture("ox-scrypt.json").replace("\"n\":4096", "\"n\":1073741824");
    String hugePbkdf2 = fixture("ox-pbkdf2.json").replace("\"c\":4096", "\"c\":2000000000");

    assertThatThrownBy(() -> KeystoreSigner.fromJson(hugeScrypt, "x".toCharArray()))
        .isInstanceOf(SignerException.class)
        .hasMessageContaining("bound");
    assertThatThrownBy(() -> KeystoreSigner.fromJson(hugePbkdf2, "x".toCharArray()))
        .isInstanceOf(SignerException.class)
        .hasMessageContaining("iteration");
  }

  @Test
  void rejectsMalformedKeystoresWithoutQuotingThem() {
    assertThatThrownBy(() -> KeystoreSigner.fromJson("{\"version\":3,", "x".toCharArray()))
        .isInstanceOf(SignerException.class)
        .hasMessage("keystore is not valid JSON")
        .hasNoCause();
    assertThatThrownBy(() -> KeystoreSigner.fromJson("{\"version\":1}", "x".toCharArray()))
        .isInstanceOf(SignerException.class);
  }

  @Test
  void reportsAMissingFileByNameOnly(@TempDir Path dir) {
    assertThatThrownBy(() -> KeystoreSigner.open(dir.resolve("absent.json"), "x".toCharArray()))
        .isInstanceOf(SignerException.class)
        .hasMessageContaining("absent.json");
  }
}
