package dev.mpp.rail.card;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.wire.Challenge;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Money;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checked terms of a {@code card/charge} challenge (draft-card-charge §6): amount in minor
 * units of an ISO currency, the accepted networks, the merchant's name and exactly one source of
 * the merchant's encryption key. Parsing never contacts anything.
 *
 * @param amount the amount, in {@code card:<currency>} with the currency's minor-unit exponent
 * @param acceptedNetworks the networks the merchant accepts, lower case
 * @param merchantName the merchant's display name
 * @param recipient the merchant id at its acquirer, or null
 * @param billingRequired whether the merchant asks for the billing address
 * @param key where the merchant's encryption key comes from
 */
record CardOffer(
    Money amount,
    List<String> acceptedNetworks,
    String merchantName,
    String recipient,
    boolean billingRequired,
    KeySource key) {

  private static final int MAX_NAME_LENGTH = 256;
  private static final int MAX_NETWORKS = 16;
  private static final int MAX_KID_LENGTH = 256;

  /** Where the merchant's RSA encryption key is. */
  sealed interface KeySource {}

  /**
   * The key is embedded in the challenge ({@code methodDetails.encryptionJwk}).
   *
   * @param jwk the JWK object as sent
   */
  record EmbeddedKey(ObjectNode jwk) implements KeySource {}

  /**
   * The key is in a JWK Set ({@code methodDetails.jwksUri} and {@code kid}).
   *
   * @param jwksUri the set's address, not yet checked against the request's origin
   * @param kid the key's id in the set
   */
  record RemoteKey(URI jwksUri, String kid) implements KeySource {}

  /**
   * Checks {@code challenge}'s method, intent and request.
   *
   * @throws Unpayable with the reason when any rule fails
   */
  static CardOffer of(Challenge challenge) throws Unpayable {
    if (!CardRail.METHOD.equals(challenge.method())) {
      throw new Unpayable("method " + challenge.method() + " is not " + CardRail.METHOD);
    }
    if (!CardRail.INTENT.equals(challenge.intent())) {
      throw new Unpayable("card rail does not pay intent " + challenge.intent());
    }
    var request = challenge.request();
    BigInteger units =
        request.amount().orElseThrow(() -> new Unpayable("card request has no amount"));
    if (units.signum() == 0) {
      throw new Unpayable("card request amount is zero");
    }
    if (units.bitLength() > 63) {
      throw new Unpayable("card request amount is out of range");
    }
    String currency =
        request.currency().orElseThrow(() -> new Unpayable("card request has no currency"));
    if (!CardCurrencies.isIsoCode(currency)) {
      throw new Unpayable("card currency must be a lower-case ISO 4217 code");
    }
    Asset asset = new Asset(CardRail.METHOD, currency, null, CardCurrencies.exponent(currency));
    JsonNode details = request.methodDetails();
    List<String> networks = networks(details.path("acceptedNetworks"));
    JsonNode name = details.path("merchantName");
    if (!name.isTextual()
        || name.textValue().isBlank()
        || name.textValue().length() > MAX_NAME_LENGTH) {
      throw new Unpayable("card request has no valid methodDetails.merchantName");
    }
    JsonNode billing = details.path("billingRequired");
    if (!billing.isMissingNode() && !billing.isNull() && !billing.isBoolean()) {
      throw new Unpayable("card methodDetails.billingRequired must be a boolean");
    }
    return new CardOffer(
        new Money(units, asset),
        networks,
        name.textValue(),
        request.recipient().orElse(null),
        billing.asBoolean(false),
        keySource(details));
  }

  private static List<String> networks(JsonNode node) throws Unpayable {
    if (!node.isArray() || node.isEmpty() || node.size() > MAX_NETWORKS) {
      throw new Unpayable("card request needs a non-empty methodDetails.acceptedNetworks");
    }
    List<String> networks = new ArrayList<>();
    for (JsonNode network : node) {
      if (!network.isTextual() || network.textValue().isBlank()) {
        throw new Unpayable("card methodDetails.acceptedNetworks must list network names");
      }
      networks.add(network.textValue().toLowerCase(Locale.ROOT));
    }
    return List.copyOf(networks);
  }

  private static KeySource keySource(JsonNode details) throws Unpayable {
    JsonNode jwk = details.path("encryptionJwk");
    JsonNode jwksUri = details.path("jwksUri");
    JsonNode kid = details.path("kid");
    boolean embedded = !jwk.isMissingNode() && !jwk.isNull();
    boolean remote = !jwksUri.isMissingNode() && !jwksUri.isNull();
    if (embedded && remote) {
      throw new Unpayable("card request has both encryptionJwk and jwksUri");
    }
    if (embedded) {
      if (!jwk.isObject()) {
        throw new Unpayable("card methodDetails.encryptionJwk must be a JWK object");
      }
      if (!kid.isMissingNode()) {
        throw new Unpayable("card request has a top-level kid next to encryptionJwk");
      }
      return new EmbeddedKey(((ObjectNode) jwk).deepCopy());
    }
    if (!remote) {
      throw new Unpayable("card request has neither encryptionJwk nor jwksUri");
    }
    if (!kid.isTextual()
        || kid.textValue().isBlank()
        || kid.textValue().length() > MAX_KID_LENGTH) {
      throw new Unpayable("card request has a jwksUri without a kid");
    }
    if (!jwksUri.isTextual()) {
      throw new Unpayable("card methodDetails.jwksUri must be a string");
    }
    URI uri;
    try {
      uri = new URI(jwksUri.textValue());
    } catch (URISyntaxException e) {
      throw new Unpayable("card methodDetails.jwksUri is not a URI");
    }
    if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new Unpayable("card methodDetails.jwksUri must be an absolute URL with a host");
    }
    return new RemoteKey(uri, kid.textValue());
  }

  /** Whether the merchant accepts {@code card}'s network. */
  boolean accepts(Card card) {
    return acceptedNetworks.contains(card.network());
  }
}
