package dev.mpp.rail.card;

import static dev.mpp.rail.card.CardChallenges.MERCHANT_KEY;
import static dev.mpp.rail.card.CardChallenges.challenge;
import static dev.mpp.rail.card.CardChallenges.details;
import static dev.mpp.rail.card.CardChallenges.publicJwk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.rail.card.testing.TestCardCredentials;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The merchant key rules (draft-card-charge §6.3): every broken rule is refused before a token is
 * requested from the card enabler; JWK Sets come from the request's origin and are cached as their
 * {@code Cache-Control} says.
 */
class MerchantKeyRulesTest {
  private final TestCardCredentials credentials = TestCardCredentials.visa();
  private MockWebServer merchant;
  private CardRail rail;
  private PaymentContext context;
  private String realm;

  @BeforeEach
  void start() throws Exception {
    merchant = new MockWebServer();
    merchant.start(InetAddress.getByName("127.0.0.1"), 0);
    realm = "127.0.0.1:" + merchant.getPort();
    context = PaymentContext.of(URI.create("http://" + realm + "/paid"), "GET", "bot-1");
    rail =
        CardRail.builder()
            .credentials(credentials)
            .allowPlainHttpOnLoopbackForTesting(true)
            .build();
  }

  @AfterEach
  void stop() {
    merchant.close();
  }

  private String jwksUri() {
    return "http://" + realm + "/.well-known/jwks.json";
  }

  private Challenge remote(String id, String uri, String kid) {
    ObjectNode request = CardChallenges.request();
    request.set("methodDetails", remoteDetails(uri, kid));
    return challenge(id, realm, request);
  }

  private static ObjectNode remoteDetails(String uri, String kid) {
    ObjectNode details = CardChallenges.request().get("methodDetails").deepCopy();
    details.remove("encryptionJwk");
    details.put("jwksUri", uri);
    if (kid != null) {
      details.put("kid", kid);
    }
    return details;
  }

  private void serveKeys(String cacheControl, ObjectNode... keys) {
    ObjectNode set = CardChallenges.JSON.createObjectNode();
    var array = set.putArray("keys");
    for (ObjectNode key : keys) {
      array.add(key);
    }
    MockResponse.Builder response =
        new MockResponse.Builder().code(200).addHeader("Content-Type", "application/jwk-set+json");
    if (cacheControl != null) {
      response.addHeader("Cache-Control", cacheControl);
    }
    merchant.enqueue(response.body(set.toString()).build());
  }

  private void assertRefusedBeforeProvisioning(Challenge challenge, String reason) {
    assertThatThrownBy(() -> rail.pay(challenge, context))
        .isInstanceOfSatisfying(
            PaymentRefusedException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_REQUEST);
              assertThat(e.getMessage()).contains(reason);
            });
    assertThat(credentials.purchases()).isEmpty();
  }

  private Challenge embedded(String id, Consumer<ObjectNode> editKey) {
    ObjectNode key = publicJwk(MERCHANT_KEY);
    editKey.accept(key);
    return challenge(id, realm, withDetails(d -> d.set("encryptionJwk", key)));
  }

  private static ObjectNode withDetails(Consumer<ObjectNode> edit) {
    ObjectNode request = CardChallenges.request();
    edit.accept(details(request));
    return request;
  }

  @Test
  void refusesAJwksUriOnAnotherOrigin() {
    String elsewhere = "http://127.0.0.1:" + (merchant.getPort() + 1) + "/jwks.json";
    assertRefusedBeforeProvisioning(remote("ch_cross", elsewhere, "enc-2026-01"), "origin");
    assertRefusedBeforeProvisioning(
        remote("ch_cross_host", "http://localhost:" + merchant.getPort() + "/jwks", "enc-2026-01"),
        "origin");
    assertThat(merchant.getRequestCount()).isZero();
  }

  @Test
  void doesNotFollowARedirectAwayFromTheOrigin() {
    merchant.enqueue(
        new MockResponse.Builder()
            .code(302)
            .addHeader("Location", "https://keys.elsewhere.example/jwks.json")
            .build());

    assertRefusedBeforeProvisioning(remote("ch_redirect", jwksUri(), "enc-2026-01"), "HTTP 302");
    assertThat(merchant.getRequestCount()).isEqualTo(1);
  }

  @Test
  void refusesAJwksUriWithoutKidAndAKidNotInTheSet() {
    assertRefusedBeforeProvisioning(remote("ch_nokid", jwksUri(), null), "without a kid");

    serveKeys(null, publicJwk(MERCHANT_KEY));
    serveKeys(null, publicJwk(MERCHANT_KEY));
    assertRefusedBeforeProvisioning(remote("ch_wrongkid", jwksUri(), "enc-other"), "no key");
  }

  @Test
  void refusesPlainHttpJwksUriWithoutTheTestingOptIn() {
    CardRail strict = CardRail.builder().credentials(credentials).build();
    PaymentContext https = PaymentContext.of(URI.create("https://" + realm + "/paid"), "GET", "b");

    assertThatThrownBy(() -> strict.pay(remote("ch_plain", jwksUri(), "enc-2026-01"), https))
        .isInstanceOfSatisfying(
            PaymentRefusedException.class, e -> assertThat(e.getMessage()).contains("https"));
    assertThat(credentials.purchases()).isEmpty();
  }

  @Test
  void refusesKeysOfTheWrongTypeAlgorithmUseOrSize() throws Exception {
    ObjectNode ec =
        (ObjectNode)
            CardChallenges.JSON.readTree(
                new ECKeyGenerator(Curve.P_256)
                    .keyID("ec")
                    .generate()
                    .toPublicJWK()
                    .toJSONString());
    ec.put("alg", "RSA-OAEP-256").put("use", "enc");
    assertRefusedBeforeProvisioning(
        embedded(
            "ch_ec",
            key -> {
              key.removeAll();
              key.setAll(ec);
            }),
        "kty");
    assertRefusedBeforeProvisioning(
        embedded("ch_alg", key -> key.put("alg", "RSA-OAEP")), "RSA-OAEP-256");
    assertRefusedBeforeProvisioning(embedded("ch_noalg", key -> key.remove("alg")), "alg");
    assertRefusedBeforeProvisioning(embedded("ch_use", key -> key.put("use", "sig")), "use enc");
    assertRefusedBeforeProvisioning(embedded("ch_nokid", key -> key.remove("kid")), "no kid");
    ObjectNode small = publicJwk(CardChallenges.rsa(1024, "small"));
    assertRefusedBeforeProvisioning(
        embedded(
            "ch_1024",
            key -> {
              key.removeAll();
              key.setAll(small);
            }),
        "1024 bits, fewer than 2048");
  }

  @Test
  void refusesBothKeySourcesNeitherAndATopLevelKidNextToAnEmbeddedKey() {
    Challenge both =
        challenge("ch_both", realm, withDetails(d -> d.put("jwksUri", jwksUri()).put("kid", "k")));
    Challenge neither = challenge("ch_neither", realm, withDetails(d -> d.remove("encryptionJwk")));
    Challenge kid = challenge("ch_kid", realm, withDetails(d -> d.put("kid", "enc-2026-01")));

    assertRefusedBeforeProvisioning(both, "both encryptionJwk and jwksUri");
    assertRefusedBeforeProvisioning(neither, "neither encryptionJwk nor jwksUri");
    assertRefusedBeforeProvisioning(kid, "top-level kid");
    assertThat(rail.quote(both)).isInstanceOf(dev.mpp.wallet.rail.Quote.Unsupported.class);
  }

  @Test
  void refusesABadKeyInTheJwksToo() {
    ObjectNode signing = publicJwk(MERCHANT_KEY).put("use", "sig");
    serveKeys(null, signing);

    assertRefusedBeforeProvisioning(remote("ch_sig", jwksUri(), "enc-2026-01"), "use enc");
  }

  @Test
  void encryptsToTheKidOfTheFetchedSetAndCachesItForMaxAge() throws Exception {
    ObjectNode other = publicJwk(CardChallenges.rsa(2048, "enc-2025-12"));
    serveKeys("public, max-age=600", other, publicJwk(MERCHANT_KEY));

    var first = rail.pay(remote("ch_jwks1", jwksUri(), "enc-2026-01"), context);
    rail.pay(remote("ch_jwks2", jwksUri(), "enc-2026-01"), context);

    assertThat(merchant.getRequestCount()).isEqualTo(1);
    assertThat(merchant.takeRequest().getUrl().encodedPath()).isEqualTo("/.well-known/jwks.json");
    JWEObject jwe = JWEObject.parse(first.payload().get("encryptedPayload").asText());
    assertThat(jwe.getHeader().getKeyID()).isEqualTo("enc-2026-01");
    jwe.decrypt(new com.nimbusds.jose.crypto.RSADecrypter(MERCHANT_KEY));
    assertThat(jwe.getPayload().toString()).contains(TestCardCredentials.TOKEN);
  }

  @Test
  void refetchesASetServedWithNoStore() {
    serveKeys("no-store", publicJwk(MERCHANT_KEY));
    serveKeys("no-store", publicJwk(MERCHANT_KEY));

    rail.pay(remote("ch_nostore1", jwksUri(), "enc-2026-01"), context);
    rail.pay(remote("ch_nostore2", jwksUri(), "enc-2026-01"), context);

    assertThat(merchant.getRequestCount()).isEqualTo(2);
  }

  @Test
  void refusesAnOversizedSetAndFailsWhenTheSetCannotBeFetched() {
    merchant.enqueue(
        new MockResponse.Builder().code(200).body("x".repeat(JwksFetcher.MAX_BYTES + 10)).build());
    assertRefusedBeforeProvisioning(remote("ch_big", jwksUri(), "enc-2026-01"), "larger than");

    CardRail unreachable =
        CardRail.builder()
            .credentials(credentials)
            .allowPlainHttpOnLoopbackForTesting(true)
            .jwksFetcher(JwksFetcher.jdk(Duration.ofSeconds(2)))
            .build();
    merchant.close();
    assertThatThrownBy(() -> unreachable.pay(remote("ch_down", jwksUri(), "enc-2026-01"), context))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.RAIL_FAILED));
    assertThat(credentials.purchases()).isEmpty();
  }

  @Test
  void cacheAgeFollowsCacheControl() {
    assertThat(MerchantKeys.cacheAge(null)).isZero();
    assertThat(MerchantKeys.cacheAge("no-cache, max-age=60")).isZero();
    assertThat(MerchantKeys.cacheAge("public, max-age=60")).isEqualTo(Duration.ofSeconds(60));
    assertThat(MerchantKeys.cacheAge("max-age=99999999")).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void jwkSetParsesWithNimbus() throws Exception {
    // Guards the fixture: the served set is what nimbus reads.
    ObjectNode set = CardChallenges.JSON.createObjectNode();
    set.putArray("keys").add(publicJwk(MERCHANT_KEY));
    assertThat(JWKSet.parse(set.toString()).getKeyByKeyId("enc-2026-01")).isNotNull();
  }
}
