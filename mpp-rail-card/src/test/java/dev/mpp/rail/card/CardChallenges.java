package dev.mpp.rail.card;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.PaymentRequest;
import java.time.Instant;
import java.util.function.Consumer;

/** Builds {@code card/charge} challenges and merchant keys for the tests. */
final class CardChallenges {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One 2048-bit merchant key for the whole test run: generating keys is slow. */
  static final RSAKey MERCHANT_KEY = rsa(2048, "enc-2026-01");

  private CardChallenges() {}

  static RSAKey rsa(int bits, String kid) {
    try {
      return new RSAKeyGenerator(bits, bits < 2048)
          .keyID(kid)
          .keyUse(KeyUse.ENCRYPTION)
          .algorithm(JWEAlgorithm.RSA_OAEP_256)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public half of {@code key} as a JSON object. */
  static ObjectNode publicJwk(RSAKey key) {
    try {
      return (ObjectNode) JSON.readTree(key.toPublicJWK().toJSONString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A 49.99 usd charge for Acme Corp accepting visa and mastercard, with the embedded key. */
  static ObjectNode request() {
    ObjectNode request = JSON.createObjectNode();
    request.put("amount", "4999");
    request.put("currency", "usd");
    request.put("recipient", "merch_abc123");
    ObjectNode details = request.putObject("methodDetails");
    details.putArray("acceptedNetworks").add("visa").add("mastercard");
    details.put("merchantName", "Acme Corp");
    details.set("encryptionJwk", publicJwk(MERCHANT_KEY));
    return request;
  }

  static Challenge challenge(String id, Consumer<ObjectNode> edit) {
    ObjectNode request = request();
    edit.accept(request);
    return challenge(id, request);
  }

  static Challenge challenge(String id, ObjectNode request) {
    return challenge(id, "api.merchant.example", request);
  }

  static Challenge challenge(String id, String realm, ObjectNode request) {
    return Challenge.builder()
        .id(id)
        .realm(realm)
        .method("card")
        .intent("charge")
        .request(PaymentRequest.of(request).raw())
        .expires(Instant.now().plusSeconds(300))
        .build();
  }

  static ObjectNode details(ObjectNode request) {
    return (ObjectNode) request.get("methodDetails");
  }
}
