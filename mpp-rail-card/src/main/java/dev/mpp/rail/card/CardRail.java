package dev.mpp.rail.card;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Problem;
import dev.mpp.rail.card.CardOffer.EmbeddedKey;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.RailPayment;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays {@code card/charge} challenges (draft-card-charge-00) as the agent's Client Enabler: it
 * picks a card whose network the merchant accepts, resolves and checks the merchant's RSA key, asks
 * {@link CardCredentials} for the network token and a cryptogram for this payment, encrypts both to
 * the key as a compact JWE (nimbus-jose-jwt) and sends the card's display data next to it.
 *
 * <p>Order of checks in {@link #pay}: transport (HTTPS only; plain HTTP to loopback only with
 * {@link Builder#allowPlainHttpOnLoopbackForTesting}), the request (§6), the key (§6.3); only then
 * is a token requested, so a refused offer never spends a cryptogram. Paying a challenge this rail
 * already paid resends the same credential (§8.2).
 *
 * <p>Amounts are counted in {@code card:<currency>} with the ISO 4217 minor-unit exponent; the
 * wallet's {@link dev.mpp.wallet.price.PriceSource} turns them into dollars (ISO {@code usd} is 1:1
 * by default; configure a rate for other currencies), so card spend counts in the same caps.
 *
 * <p>Thread-safe. Tokens, cryptograms, billing data and card numbers never appear in {@link
 * #toString()}, logs or exception messages; cards are named by network and last four.
 */
public final class CardRail implements Rail {
  /** The payment method this rail pays. */
  public static final String METHOD = "card";

  /** The only intent this rail pays. */
  public static final String INTENT = "charge";

  private static final Logger log = LoggerFactory.getLogger(CardRail.class);
  private static final Duration DEFAULT_JWKS_TIMEOUT = Duration.ofSeconds(5);

  private final CardCredentials credentials;
  private final Set<String> currencies;
  private final CardFees fees;
  private final boolean allowPlainHttpOnLoopback;
  private final Clock clock;
  private final MerchantKeys keys;
  private final IssuedCredentials issued;

  private CardRail(Builder b) {
    if (b.credentials == null) {
      throw new ConfigurationException(
          ErrorCode.INVALID_CONFIGURATION, "card rail needs CardCredentials");
    }
    this.credentials = b.credentials;
    this.currencies = Collections.unmodifiableSet(new TreeSet<>(b.currencies));
    this.fees = b.fees;
    this.allowPlainHttpOnLoopback = b.allowPlainHttpOnLoopback;
    this.clock = b.clock;
    // The default client is only built when no fetcher was given: it owns a selector thread.
    JwksFetcher fetcher =
        b.jwksFetcher != null ? b.jwksFetcher : JwksFetcher.jdk(DEFAULT_JWKS_TIMEOUT);
    this.keys = new MerchantKeys(fetcher, b.allowPlainHttpOnLoopback, b.clock);
    this.issued = new IssuedCredentials(Duration.ofMinutes(10));
  }

  /** Starts configuring a card rail. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public List<String> intents() {
    return List.of(INTENT);
  }

  @Override
  public Quote quote(Challenge challenge) {
    try {
      CardOffer offer = check(challenge);
      card(offer);
      if (offer.key() instanceof EmbeddedKey embedded) {
        // An embedded key can be judged without the network; a JWK Set is fetched only to pay.
        checkEmbedded(embedded);
      }
      return Quote.payable(offer.amount(), fees.estimate(offer.amount()));
    } catch (Unpayable e) {
      return Quote.unsupported(e.getMessage());
    } catch (RuntimeException e) {
      // A card source or fee model that throws must not crash the whole choice.
      log.warn("card quote failed for challenge {}: {}", challenge.id(), e.getClass().getName());
      return Quote.unsupported("card quote failed: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public RailPayment pay(Challenge challenge, PaymentContext context) {
    checkTransport(context);
    CardOffer offer;
    Card card;
    RSAKey key;
    try {
      offer = check(challenge);
      card = card(offer);
      key = keys.resolve(offer.key(), context, challenge.realm());
    } catch (Unpayable e) {
      throw new PaymentRefusedException(ErrorCode.UNSUPPORTED_REQUEST, e.getMessage());
    }
    Instant now = clock.instant();
    Optional<ObjectNode> earlier = issued.find(challenge, now);
    if (earlier.isPresent()) {
      log.debug("challenge {}: resending the card credential issued before", challenge.id());
      return new RailPayment(earlier.get(), null, null).withLabel(card.label());
    }
    CardPurchase purchase =
        new CardPurchase(
            challenge.id(),
            challenge.realm(),
            offer.merchantName(),
            offer.recipient(),
            offer.amount());
    CardTokenData data;
    try {
      data = Objects.requireNonNull(credentials.provision(card, purchase), "card token data");
    } catch (RuntimeException e) {
      String why =
          e instanceof CardProvisioningException ? e.getMessage() : e.getClass().getSimpleName();
      log.warn("card enabler failed for {} on challenge {}: {}", card, challenge.id(), why);
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "card enabler could not provision " + card.label() + ": " + why);
    }
    ObjectNode payload = payload(card, offer, TokenEncryption.encrypt(data, key));
    issued.remember(challenge, payload, now);
    log.debug(
        "challenge {}: {} encrypted to key {} for {}",
        challenge.id(),
        card,
        key.getKeyID(),
        offer.amount());
    return new RailPayment(payload, null, null).withLabel(card.label());
  }

  private CardOffer check(Challenge challenge) throws Unpayable {
    CardOffer offer = CardOffer.of(challenge);
    String currency = offer.amount().asset().currency();
    if (!currencies.isEmpty() && !currencies.contains(currency)) {
      throw new Unpayable("currency " + currency + " is not allowed for card");
    }
    return offer;
  }

  /** The first usable card the merchant accepts. */
  private Card card(CardOffer offer) throws Unpayable {
    YearMonth thisMonth = YearMonth.now(clock.withZone(ZoneOffset.UTC));
    List<Card> cards = credentials.cards();
    for (Card card : cards) {
      YearMonth expiry =
          YearMonth.of(
              Integer.parseInt(card.expirationYear()), Integer.parseInt(card.expirationMonth()));
      if (offer.accepts(card) && !expiry.isBefore(thisMonth)) {
        return card;
      }
    }
    throw new Unpayable(
        "no unexpired card on network(s) " + String.join(", ", offer.acceptedNetworks()));
  }

  private static void checkEmbedded(EmbeddedKey embedded) throws Unpayable {
    try {
      MerchantKeys.check(JWK.parse(embedded.jwk().toString()));
    } catch (ParseException e) {
      throw new Unpayable("card encryptionJwk is not a valid JWK");
    }
  }

  private void checkTransport(PaymentContext context) {
    String scheme = context.url().getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return;
    }
    if (scheme.equals("http") && allowPlainHttpOnLoopback && isLoopback(context.host())) {
      return;
    }
    // draft-card-charge §10.1: plain HTTP is refused for card payments, loopback included.
    throw new PaymentRefusedException(
        ErrorCode.INSECURE_TRANSPORT,
        "card payments need https; refusing " + scheme + " to " + context.origin());
  }

  /** The credential payload of §7.2. */
  private static ObjectNode payload(Card card, CardOffer offer, String jwe) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("encryptedPayload", jwe);
    payload.put("network", card.network());
    payload.put("panLastFour", card.lastFour());
    payload.put("panExpirationMonth", card.expirationMonth());
    payload.put("panExpirationYear", card.expirationYear());
    if (offer.billingRequired()) {
      card.billingAddress().ifPresent(address -> payload.set("billingAddress", address.toJson()));
    }
    card.cardholderName().ifPresent(name -> payload.put("cardholderFullName", name));
    card.paymentAccountReference().ifPresent(par -> payload.put("paymentAccountReference", par));
    return payload;
  }

  /** Loopback by literal only (a name lookup would let DNS decide). */
  static boolean isLoopback(String host) {
    return host.equals("localhost")
        || host.equals("::1")
        || host.equals("0:0:0:0:0:0:0:1")
        || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  /**
   * A {@code 409} to a card credential means the server saw an earlier attempt with this same
   * credential fail (draft-card-charge §8.2, replay semantics): nothing was paid, so the wallet
   * releases the reservation.
   */
  @Override
  public boolean provesNoSettlement(int httpStatus, Problem problem) {
    return httpStatus == 409;
  }

  @Override
  public String toString() {
    return "CardRail[cards="
        + credentials.cards().size()
        + ", currencies="
        + (currencies.isEmpty() ? "any" : currencies)
        + "]";
  }

  /** Configures a {@link CardRail}; {@link #build()} validates everything. */
  public static final class Builder {
    private CardCredentials credentials;
    private final Set<String> currencies = new LinkedHashSet<>();
    private CardFees fees = CardFees.none();
    private JwksFetcher jwksFetcher;
    private boolean allowPlainHttpOnLoopback;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Where cards, tokens and cryptograms come from (required). */
    public Builder credentials(CardCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * Restricts payments to these ISO 4217 currencies, e.g. {@code "usd"} (default: any currency
     * the wallet can price).
     */
    public Builder currencies(String... codes) {
      for (String code : codes) {
        String lower = Objects.requireNonNull(code, "currency").toLowerCase(Locale.ROOT);
        if (!CardCurrencies.isIsoCode(lower)) {
          throw new ConfigurationException(
              ErrorCode.INVALID_CONFIGURATION,
              "currency must be a three-letter ISO code, got '" + code + "'");
        }
        currencies.add(lower);
      }
      return this;
    }

    /**
     * The per-payment card fee for cheapest-rail comparisons (default: {@link CardFees#none()}).
     */
    public Builder fees(CardFees fees) {
      this.fees = Objects.requireNonNull(fees, "fees");
      return this;
    }

    /**
     * How merchant JWK Sets are fetched (default: {@code java.net.http}, 5 s timeout). Pass one
     * built on your adapter's client to apply its proxy and TLS settings.
     */
    public Builder jwksFetcher(JwksFetcher fetcher) {
      this.jwksFetcher = Objects.requireNonNull(fetcher, "fetcher");
      return this;
    }

    /**
     * Tests only: allow paying, and fetching JWK Sets from, plain-HTTP <em>loopback</em> servers.
     * The draft refuses plain HTTP for card payments even on loopback (§10.1), so this is off by
     * default.
     */
    public Builder allowPlainHttpOnLoopbackForTesting(boolean allow) {
      this.allowPlainHttpOnLoopback = allow;
      return this;
    }

    /** The clock for card expiry, credential reuse and key caching (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the rail.
     *
     * @throws ConfigurationException if no {@link CardCredentials} was given
     */
    public CardRail build() {
      return new CardRail(this);
    }
  }
}
