package dev.mpp.evm.signer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.evm.chain.EvmAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.web3j.crypto.Hash;

/**
 * A {@link Signer} backed by an encrypted JSON keystore (Web3 Secret Storage v3), the format
 * written by web3j's {@code WalletUtils}, geth, Foundry's {@code cast wallet}, ethers and ox.
 *
 * <p>Supports the {@code scrypt} and {@code pbkdf2} (HMAC-SHA256) key derivations with {@code
 * aes-128-ctr}. The password array is zeroed before the factories return. Derivation parameters are
 * bounded so a hostile file cannot exhaust memory or CPU. Decryption is deliberately slow (that is
 * the point of the KDF): open the keystore once and reuse the signer.
 */
public final class KeystoreSigner implements Signer {

  // Bounds: the common "standard" scrypt setting is n=2^18, r=8 (256 MiB); allow up to that.
  private static final long MAX_SCRYPT_MEMORY_BYTES = 256L * 1024 * 1024;
  private static final int MAX_SCRYPT_P = 16;
  private static final int MAX_SCRYPT_R = 1024;
  private static final long MAX_SCRYPT_WORK_BYTES = 512L * 1024 * 1024;
  private static final int MAX_PBKDF2_ITERATIONS = 10_000_000;
  private static final long MAX_FILE_BYTES = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private final PrivateKeySigner delegate;

  private KeystoreSigner(PrivateKeySigner delegate) {
    this.delegate = delegate;
  }

  /**
   * Decrypts the keystore file with {@code password}, then zeroes {@code password}.
   *
   * @throws SignerException if the file cannot be read, is not a supported keystore, or the
   *     password is wrong
   */
  public static KeystoreSigner open(Path file, char[] password) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    String json;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new SignerException("keystore file is too large to be a keystore");
      }
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      Arrays.fill(password, '\0');
      throw new SignerException("cannot read keystore file " + file.getFileName(), e);
    } catch (RuntimeException e) {
      Arrays.fill(password, '\0');
      throw e;
    }
    return fromJson(json, password);
  }

  /**
   * Decrypts keystore JSON with {@code password}, then zeroes {@code password}.
   *
   * @throws SignerException if the JSON is not a supported keystore or the password is wrong
   */
  public static KeystoreSigner fromJson(String json, char[] password) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(password, "password");
    byte[] passwordBytes = null;
    byte[] derived = null;
    byte[] key = null;
    try {
      passwordBytes = utf8(password);
      JsonNode root = JSON.readTree(json);
      if (root == null || root.path("version").asInt(-1) != 3) {
        throw new SignerException("unsupported keystore: version must be 3");
      }
      JsonNode crypto = root.has("crypto") ? root.get("crypto") : root.path("Crypto");
      if (!"aes-128-ctr".equals(crypto.path("cipher").asText())) {
        throw new SignerException("unsupported keystore cipher: only aes-128-ctr is supported");
      }
      byte[] ciphertext = hexField(crypto, "ciphertext");
      byte[] iv = hexField(crypto.path("cipherparams"), "iv");
      byte[] mac = hexField(crypto, "mac");
      derived = deriveKey(crypto, passwordBytes);
      byte[] macInput = new byte[16 + ciphertext.length];
      System.arraycopy(derived, 16, macInput, 0, 16);
      System.arraycopy(ciphertext, 0, macInput, 16, ciphertext.length);
      byte[] expectedMac = Hash.sha3(macInput);
      Arrays.fill(macInput, (byte) 0);
      if (!MessageDigest.isEqual(expectedMac, mac)) {
        throw new SignerException("wrong keystore password (or corrupted keystore)");
      }
      key = aesCtr(Arrays.copyOfRange(derived, 0, 16), iv, ciphertext);
      PrivateKeySigner signer = PrivateKeySigner.of(key);
      JsonNode address = root.get("address");
      if (address != null && address.isTextual()) {
        String text = address.asText();
        EvmAddress declared =
            EvmAddress.tryParse(text.startsWith("0x") ? text : "0x" + text)
                .orElseThrow(() -> new SignerException("keystore address field is malformed"));
        if (!declared.equals(EvmAddress.parse(signer.address()))) {
          throw new SignerException("keystore address field does not match the decrypted key");
        }
      }
      return new KeystoreSigner(signer);
    } catch (JsonProcessingException e) {
      // Jackson messages quote the input, which holds ciphertext; do not chain it.
      throw new SignerException("keystore is not valid JSON");
    } finally {
      Arrays.fill(password, '\0');
      wipe(passwordBytes);
      wipe(derived);
      wipe(key);
    }
  }

  private static byte[] deriveKey(JsonNode crypto, byte[] password) {
    String kdf = crypto.path("kdf").asText();
    JsonNode params = crypto.path("kdfparams");
    if (params.path("dklen").asInt(-1) != 32) {
      throw new SignerException("unsupported keystore: dklen must be 32");
    }
    byte[] salt = hexField(params, "salt");
    switch (kdf) {
      case "scrypt" -> {
        long n = params.path("n").asLong(-1);
        long r = params.path("r").asLong(-1);
        long p = params.path("p").asLong(-1);
        if (n < 2
            || n > 1 << 30
            || Long.bitCount(n) != 1
            || r < 1
            || r > MAX_SCRYPT_R
            || p < 1
            || p > MAX_SCRYPT_P) {
          throw new SignerException("invalid scrypt parameters in keystore");
        }
        if (128 * r * n > MAX_SCRYPT_MEMORY_BYTES || 128 * r * n * p > MAX_SCRYPT_WORK_BYTES) {
          throw new SignerException("scrypt parameters in keystore exceed the memory bound");
        }
        return Scrypt.derive(password, salt, (int) n, (int) r, (int) p, 32);
      }
      case "pbkdf2" -> {
        if (!"hmac-sha256".equals(params.path("prf").asText())) {
          throw new SignerException("unsupported keystore: pbkdf2 prf must be hmac-sha256");
        }
        long c = params.path("c").asLong(-1);
        if (c < 1 || c > MAX_PBKDF2_ITERATIONS) {
          throw new SignerException("invalid pbkdf2 iteration count in keystore");
        }
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA256Digest());
        generator.init(password, salt, (int) c);
        return ((KeyParameter) generator.generateDerivedParameters(256)).getKey();
      }
      default -> throw new SignerException("unsupported keystore kdf: only scrypt and pbkdf2");
    }
  }

  private static byte[] aesCtr(byte[] key, byte[] iv, byte[] ciphertext) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return cipher.doFinal(ciphertext);
    } catch (GeneralSecurityException e) {
      throw new SignerException("keystore decryption failed: " + e.getClass().getSimpleName());
    } finally {
      wipe(key);
    }
  }

  private static byte[] hexField(JsonNode node, String name) {
    JsonNode field = node.get(name);
    if (field == null || !field.isTextual()) {
      throw new SignerException("keystore is missing the " + name + " field");
    }
    String text = field.asText();
    if (text.startsWith("0x")) {
      text = text.substring(2);
    }
    try {
      return HEX.parseHex(text);
    } catch (IllegalArgumentException e) {
      throw new SignerException("keystore " + name + " field is not hex");
    }
  }

  private static byte[] utf8(char[] password) {
    try {
      ByteBuffer encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(password));
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      if (encoded.hasArray()) {
        Arrays.fill(encoded.array(), (byte) 0);
      }
      return bytes;
    } catch (CharacterCodingException e) {
      throw new SignerException("keystore password is not valid Unicode");
    }
  }

  private static void wipe(byte[] bytes) {
    if (bytes != null) {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public String address() {
    return delegate.address();
  }

  @Override
  public Signature sign(byte[] hash32) {
    return delegate.sign(hash32);
  }

  /** Shows the address only. */
  @Override
  public String toString() {
    return "KeystoreSigner[" + delegate.address() + "]";
  }
}
