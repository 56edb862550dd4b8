package dev.mpp.evm.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.generators.SCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScryptTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void matchesRfc7914Vectors() {
    assertThat(HexFormat.of().formatHex(Scrypt.derive(utf8(""), utf8(""), 16, 1, 1, 64)))
        .isEqualTo(
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
                + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
    assertThat(
            HexFormat.of()
                .formatHex(Scrypt.derive(utf8("password"), utf8("NaCl"), 1024, 8, 16, 64)))
        .isEqualTo(
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void agreesWithBouncyCastleWhereBouncyCastleAllowsTheParameters(int seed) {
    Random random = new Random(seed);
    byte[] password = new byte[random.nextInt(40)];
    byte[] salt = new byte[random.nextInt(40)];
    random.nextBytes(password);
    random.nextBytes(salt);
    int n = 1 << (1 + random.nextInt(10));
    int r = 1 + random.nextInt(8);
    int p = 1 + random.nextInt(3);
    int dkLen = 1 + random.nextInt(80);

    assertThat(Scrypt.derive(password, salt, n, r, p, dkLen))
        .isEqualTo(SCrypt.generate(password, salt, n, r, p, dkLen));
  }
}
