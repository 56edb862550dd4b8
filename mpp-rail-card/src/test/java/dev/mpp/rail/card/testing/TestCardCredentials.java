package dev.mpp.rail.card.testing;

import dev.mpp.rail.card.BillingAddress;
import dev.mpp.rail.card.Card;
import dev.mpp.rail.card.CardCredentials;
import dev.mpp.rail.card.CardProvisioningException;
import dev.mpp.rail.card.CardPurchase;
import dev.mpp.rail.card.CardTokenData;
import dev.mpp.rail.card.DynamicData;
import dev.mpp.rail.card.NetworkToken;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A card enabler that moves no money, for tests: one Visa card ending 4242 with a fixed test
 * network token, and a cryptogram derived from the challenge ({@link #cryptogramFor}), so a test
 * server can tell the cryptogram it expects for each challenge. It records every purchase it
 * provisioned ({@link #purchases()}) and can be told to refuse.
 */
public final class TestCardCredentials implements CardCredentials {
  /** The test network token (a test PAN-shaped number, never a real card). */
  public static final String TOKEN = "4895370012003478";

  /** The card's billing ZIP, to check that billing data stays out of logs. */
  public static final String BILLING_ZIP = "94102";

  /** The cardholder's name, to check that it stays out of logs. */
  public static final String CARDHOLDER = "Jane Testholder";

  /** The payment account reference, to check that it stays out of logs. */
  public static final String PAR = "PAR9876543210987654321012345";

  /** The secret the cryptograms are derived from; the local card server knows it too. */
  public static final String CRYPTOGRAM_SECRET = "mpp-card-test-cryptogram-secret";

  private final List<Card> cards;
  private final List<CardPurchase> purchases = new CopyOnWriteArrayList<>();
  private volatile boolean refuse;

  private TestCardCredentials(List<Card> cards) {
    this.cards = List.copyOf(cards);
  }

  /** One Visa card ending 4242, expiring 12/2099, with a billing address, name and PAR. */
  public static TestCardCredentials visa() {
    return new TestCardCredentials(List.of(visaCard()));
  }

  /** The cards given. */
  public static TestCardCredentials of(Card... cards) {
    return new TestCardCredentials(new ArrayList<>(List.of(cards)));
  }

  /** The Visa card of {@link #visa()}. */
  public static Card visaCard() {
    return Card.builder("card_test_visa")
        .network("visa")
        .lastFour("4242")
        .expiration("12", "2099")
        .billingAddress(new BillingAddress("1 Test St", null, "Testville", "CA", BILLING_ZIP, "US"))
        .cardholderName(CARDHOLDER)
        .paymentAccountReference(PAR)
        .build();
  }

  /**
   * The cryptogram issued for a challenge: base64 of the first 8 bytes of HMAC-SHA256({@link
   * #CRYPTOGRAM_SECRET}, challenge id).
   */
  public static String cryptogramFor(String challengeId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(CRYPTOGRAM_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal(challengeId.getBytes(StandardCharsets.UTF_8));
      byte[] first = new byte[8];
      System.arraycopy(digest, 0, first, 0, first.length);
      return Base64.getEncoder().encodeToString(first);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Makes {@link #provision} fail from now on (or succeed again). */
  public void refuse(boolean refuse) {
    this.refuse = refuse;
  }

  /** Every purchase a token was provisioned for, in order. */
  public List<CardPurchase> purchases() {
    return List.copyOf(purchases);
  }

  @Override
  public List<Card> cards() {
    return cards;
  }

  @Override
  public CardTokenData provision(Card card, CardPurchase purchase) {
    if (refuse) {
      throw new CardProvisioningException("test enabler refused " + card.label());
    }
    purchases.add(purchase);
    return new CardTokenData(
        new NetworkToken(TOKEN, "06", "2034", "07"),
        new DynamicData(
            cryptogramFor(purchase.challengeId()),
            "CARD_APPLICATION_CRYPTOGRAM_SHORT_FORM",
            4_102_444_800L));
  }

  @Override
  public String toString() {
    return "TestCardCredentials[" + cards + "]";
  }
}
