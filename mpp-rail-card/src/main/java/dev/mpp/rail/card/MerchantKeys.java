package dev.mpp.rail.card;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.rail.card.CardOffer.EmbeddedKey;
import dev.mpp.rail.card.CardOffer.KeySource;
import dev.mpp.rail.card.CardOffer.RemoteKey;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves and checks the merchant's encryption key (draft-card-charge §6.3): the embedded JWK, or
 * the {@code kid} of a JWK Set fetched from the request's own origin over HTTPS, cached as its
 * {@code Cache-Control} allows. Whatever the source, the key must be {@code kty=RSA}, {@code
 * alg=RSA-OAEP-256}, {@code use=enc}, carry a {@code kid} and have at least 2048 bits.
 */
final class MerchantKeys {
  static final int MIN_RSA_BITS = 2048;
  private static final Duration MAX_CACHE_AGE = Duration.ofHours(24);
  private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age\\s*=\\s*(\\d{1,9})");
  private static final Pattern HOST_REALM = Pattern.compile("[A-Za-z0-9.-]+(:\\d{1,5})?");
  private static final int MAX_CACHED_SETS = 256;

  private final JwksFetcher fetcher;
  private final boolean allowPlainHttpOnLoopback;
  private final Clock clock;
  private final Map<URI, CachedSet> cache = new ConcurrentHashMap<>();

  private record CachedSet(JWKSet keys, Instant until) {}

  MerchantKeys(JwksFetcher fetcher, boolean allowPlainHttpOnLoopback, Clock clock) {
    this.fetcher = fetcher;
    this.allowPlainHttpOnLoopback = allowPlainHttpOnLoopback;
    this.clock = clock;
  }

  /**
   * The checked public key to encrypt to.
   *
   * @param source the offer's key source
   * @param context the request being paid for: a JWK Set must come from its origin
   * @param realm the challenge's realm: when it is a host name, the set's host must be it
   * @throws Unpayable when the key or its address breaks a rule
   * @throws PaymentFailedException when the JWK Set cannot be fetched
   */
  RSAKey resolve(KeySource source, PaymentContext context, String realm) throws Unpayable {
    if (source instanceof EmbeddedKey embedded) {
      JWK jwk;
      try {
        jwk = JWK.parse(embedded.jwk().toString());
      } catch (ParseException e) {
        throw new Unpayable("card encryptionJwk is not a valid JWK");
      }
      return check(jwk);
    }
    RemoteKey remote = (RemoteKey) source;
    URI uri = remote.jwksUri();
    checkAddress(uri, context, realm);
    JWK jwk = cachedOrFetched(uri).getKeyByKeyId(remote.kid());
    if (jwk == null) {
      // The merchant may have rotated its keys since the set was cached.
      cache.remove(uri);
      jwk = cachedOrFetched(uri).getKeyByKeyId(remote.kid());
    }
    if (jwk == null) {
      throw new Unpayable("card JWK Set has no key with the challenge's kid");
    }
    return check(jwk);
  }

  /** The key rules of §6.3, in the order the draft lists them. */
  static RSAKey check(JWK jwk) throws Unpayable {
    if (jwk.getKeyType() != KeyType.RSA || !(jwk instanceof RSAKey rsa)) {
      throw new Unpayable("card encryption key must have kty RSA, not " + jwk.getKeyType());
    }
    if (jwk.getAlgorithm() == null || !JWEAlgorithm.RSA_OAEP_256.equals(jwk.getAlgorithm())) {
      throw new Unpayable("card encryption key must have alg RSA-OAEP-256");
    }
    if (!KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
      throw new Unpayable("card encryption key must have use enc");
    }
    if (jwk.getKeyID() == null || jwk.getKeyID().isBlank()) {
      throw new Unpayable("card encryption key has no kid");
    }
    if (rsa.size() < MIN_RSA_BITS) {
      throw new Unpayable(
          "card encryption key has " + rsa.size() + " bits, fewer than " + MIN_RSA_BITS);
    }
    return rsa.toPublicJWK();
  }

  private void checkAddress(URI uri, PaymentContext context, String realm) throws Unpayable {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    // PaymentContext serializes origins exactly as the flow's own credential-scoping rules do.
    PaymentContext keys = PaymentContext.of(uri, "GET", context.agent());
    boolean plainLoopback =
        scheme.equals("http") && allowPlainHttpOnLoopback && CardRail.isLoopback(keys.host());
    if (!scheme.equals("https") && !plainLoopback) {
      throw new Unpayable("card jwksUri must use https");
    }
    if (!keys.origin().equals(context.origin())) {
      throw new Unpayable("card jwksUri is not on the paid request's origin");
    }
    if (HOST_REALM.matcher(realm).matches()) {
      String realmHost = realm.contains(":") ? realm.substring(0, realm.indexOf(':')) : realm;
      if (!realmHost.equalsIgnoreCase(keys.host())) {
        throw new Unpayable("card jwksUri is not on the challenge realm's host");
      }
    }
  }

  private JWKSet cachedOrFetched(URI uri) throws Unpayable {
    Instant now = clock.instant();
    CachedSet cached = cache.get(uri);
    if (cached != null && now.isBefore(cached.until())) {
      return cached.keys();
    }
    JwksFetcher.Response response;
    try {
      response = fetcher.fetch(uri);
    } catch (IOException | RuntimeException e) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED,
          "could not fetch the merchant's JWK Set: " + e.getClass().getSimpleName());
    }
    if (response.status() != 200) {
      throw new Unpayable("card JWK Set answered HTTP " + response.status());
    }
    if (response.body().length > JwksFetcher.MAX_BYTES) {
      throw new Unpayable("card JWK Set is larger than " + JwksFetcher.MAX_BYTES + " bytes");
    }
    JWKSet keys;
    try {
      keys = JWKSet.parse(new String(response.body(), StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw new Unpayable("card JWK Set is not a valid JWK Set");
    }
    Duration age = cacheAge(response.cacheControl());
    if (!age.isZero()) {
      if (cache.size() >= MAX_CACHED_SETS) {
        cache.clear();
      }
      cache.put(uri, new CachedSet(keys, now.plus(age)));
    }
    return keys;
  }

  /** How long {@code Cache-Control} lets the set be reused; zero without {@code max-age}. */
  static Duration cacheAge(String cacheControl) {
    if (cacheControl == null) {
      return Duration.ZERO;
    }
    String value = cacheControl.toLowerCase(Locale.ROOT);
    if (value.contains("no-store") || value.contains("no-cache")) {
      return Duration.ZERO;
    }
    Matcher maxAge = MAX_AGE.matcher(value);
    if (!maxAge.find()) {
      return Duration.ZERO;
    }
    Duration age = Duration.ofSeconds(Long.parseLong(maxAge.group(1)));
    return age.compareTo(MAX_CACHE_AGE) > 0 ? MAX_CACHE_AGE : age;
  }
}
