package dev.mpp.rail.card;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.RSAKey;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentFailedException;
import java.nio.charset.StandardCharsets;

/**
 * Encrypts a network token and its cryptogram to the merchant's key as the draft's {@code
 * encryptedPayload} (§7.3): a compact JWE with {@code alg} RSA-OAEP-256 (SHA-256 for both OAEP and
 * MGF1, which nimbus sets explicitly), {@code enc} A256GCM, the key's {@code kid}, and no {@code
 * zip}. The plaintext is minified JSON {@code {token{…}, dynamicData{…}}}.
 */
final class TokenEncryption {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TokenEncryption() {}

  /**
   * The compact JWE of {@code data} for {@code key}.
   *
   * @throws PaymentFailedException when encryption fails (nothing was sent)
   */
  static String encrypt(CardTokenData data, RSAKey key) {
    JWEHeader header =
        new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
            .keyID(key.getKeyID())
            .build();
    JWEObject jwe = new JWEObject(header, new Payload(plaintext(data)));
    try {
      jwe.encrypt(new RSAEncrypter(key));
    } catch (JOSEException e) {
      // JOSE messages name algorithms and key sizes, never the plaintext.
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "could not encrypt the card token: " + e.getMessage());
    }
    return jwe.serialize();
  }

  /** The minified UTF-8 JSON plaintext of §7.3. */
  static byte[] plaintext(CardTokenData data) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode token = root.putObject("token");
    token.put("paymentToken", data.token().paymentToken());
    token.put("tokenExpirationMonth", data.token().expirationMonth());
    token.put("tokenExpirationYear", data.token().expirationYear());
    token.put("eci", data.token().eci());
    ObjectNode dynamic = root.putObject("dynamicData");
    dynamic.put("dynamicDataValue", data.dynamicData().value());
    dynamic.put("dynamicDataType", data.dynamicData().type());
    dynamic.put("dynamicDataExpiration", data.dynamicData().expiration());
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
