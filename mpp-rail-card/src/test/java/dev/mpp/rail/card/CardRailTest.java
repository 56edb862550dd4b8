package dev.mpp.rail.card;

import static dev.mpp.rail.card.CardChallenges.MERCHANT_KEY;
import static dev.mpp.rail.card.CardChallenges.challenge;
import static dev.mpp.rail.card.CardChallenges.details;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.RSADecrypter;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.rail.card.testing.TestCardCredentials;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.RailPayment;
import java.math.BigInteger;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Request checks, the JWE, and what the rail sends (draft-card-charge §6, §7). */
class CardRailTest {
  static final PaymentContext CONTEXT =
      PaymentContext.of(URI.create("https://api.merchant.example/paid"), "GET", "bot-1");

  private final TestCardCredentials credentials = TestCardCredentials.visa();
  private final CardRail rail = CardRail.builder().credentials(credentials).build();

  private String unsupported(Challenge challenge) {
    Quote quote = rail.quote(challenge);
    assertThat(quote).isInstanceOf(Quote.Unsupported.class);
    return ((Quote.Unsupported) quote).reason();
  }

  @Test
  void quotesTheAmountInMinorUnitsOfTheCurrency() {
    Quote usd = rail.quote(challenge("ch_usd", r -> {}));
    Quote jpy = rail.quote(challenge("ch_jpy", r -> r.put("currency", "jpy").put("amount", "500")));
    Quote kwd =
        rail.quote(challenge("ch_kwd", r -> r.put("currency", "kwd").put("amount", "1250")));

    assertThat(((Quote.Payable) usd).amount().toDecimal()).isEqualByComparingTo("49.99");
    assertThat(((Quote.Payable) usd).amount().asset().key()).isEqualTo("card:usd");
    assertThat(((Quote.Payable) jpy).amount().asset().decimals()).isZero();
    assertThat(((Quote.Payable) kwd).amount().toDecimal()).isEqualByComparingTo("1.250");
  }

  @Test
  void feeModelEntersTheQuote() {
    CardRail withFee =
        CardRail.builder()
            .credentials(credentials)
            .fees(CardFees.percentPlusFixed(new java.math.BigDecimal("2.9"), 30))
            .build();

    Quote.Payable quote = (Quote.Payable) withFee.quote(challenge("ch_fee", r -> {}));

    // 2.9% of 4999 = 144.971 -> 145 (rounded up) + 30
    assertThat(quote.fee().units()).isEqualTo(BigInteger.valueOf(175));
  }

  @Test
  void refusesRequestsThatBreakTheDraftsRules() {
    assertThat(unsupported(challenge("a", r -> r.remove("amount")))).contains("no amount");
    assertThat(unsupported(challenge("b", r -> r.put("amount", "0")))).contains("zero");
    assertThat(unsupported(challenge("c", r -> r.put("currency", "USD")))).contains("lower-case");
    assertThat(unsupported(challenge("d", r -> details(r).putArray("acceptedNetworks"))))
        .contains("acceptedNetworks");
    assertThat(unsupported(challenge("e", r -> details(r).remove("merchantName"))))
        .contains("merchantName");
    assertThat(unsupported(challenge("f", r -> details(r).put("billingRequired", "yes"))))
        .contains("billingRequired");
    assertThat(
            unsupported(challenge("g", r -> details(r).putArray("acceptedNetworks").add("amex"))))
        .contains("no unexpired card on network(s) amex");
    assertThat(
            CardRail.builder()
                .credentials(credentials)
                .currencies("eur")
                .build()
                .quote(challenge("h", r -> {})))
        .isEqualTo(Quote.unsupported("currency usd is not allowed for card"));
    assertThat(credentials.purchases()).isEmpty();
  }

  @Test
  void expiredCardsAreNotUsed() {
    Card expired =
        Card.builder("old").network("visa").lastFour("1111").expiration("01", "2020").build();
    CardRail old = CardRail.builder().credentials(TestCardCredentials.of(expired)).build();

    assertThat(((Quote.Unsupported) old.quote(challenge("x", r -> {}))).reason())
        .contains("no unexpired card");
  }

  @Test
  void encryptsTokenAndCryptogramToTheMerchantKey() throws Exception {
    Challenge challenge = challenge("ch_jwe", r -> {});

    RailPayment payment = rail.pay(challenge, CONTEXT);

    ObjectNode payload = payment.payload();
    assertThat(payload.get("network").asText()).isEqualTo("visa");
    assertThat(payload.get("panLastFour").asText()).isEqualTo("4242");
    assertThat(payload.get("panExpirationMonth").asText()).isEqualTo("12");
    assertThat(payload.get("panExpirationYear").asText()).isEqualTo("2099");
    assertThat(payload.has("billingAddress")).as("billing only when required").isFalse();
    assertThat(payload.get("paymentAccountReference").asText()).isEqualTo(TestCardCredentials.PAR);
    assertThat(payment.sourceDid()).isEmpty();

    JWEObject jwe = JWEObject.parse(payload.get("encryptedPayload").asText());
    assertThat(jwe.getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.RSA_OAEP_256);
    assertThat(jwe.getHeader().getEncryptionMethod()).isEqualTo(EncryptionMethod.A256GCM);
    assertThat(jwe.getHeader().getKeyID()).isEqualTo("enc-2026-01");
    assertThat(jwe.getHeader().getCompressionAlgorithm()).isNull();
    jwe.decrypt(new RSADecrypter(MERCHANT_KEY));
    JsonNode plain = CardChallenges.JSON.readTree(jwe.getPayload().toString());
    assertThat(plain.at("/token/paymentToken").asText()).isEqualTo(TestCardCredentials.TOKEN);
    assertThat(plain.at("/token/tokenExpirationMonth").asText()).isEqualTo("06");
    assertThat(plain.at("/token/tokenExpirationYear").asText()).isEqualTo("2034");
    assertThat(plain.at("/token/eci").asText()).isEqualTo("07");
    assertThat(plain.at("/dynamicData/dynamicDataValue").asText())
        .isEqualTo(TestCardCredentials.cryptogramFor("ch_jwe"));
    assertThat(plain.at("/dynamicData/dynamicDataType").asText())
        .isEqualTo("CARD_APPLICATION_CRYPTOGRAM_SHORT_FORM");
    assertThat(plain.at("/dynamicData/dynamicDataExpiration").isIntegralNumber()).isTrue();
    // Minified, as the draft requires.
    assertThat(jwe.getPayload().toString()).doesNotContain(" ").doesNotContain("\n");

    assertThat(credentials.purchases()).hasSize(1);
    CardPurchase purchase = credentials.purchases().get(0);
    assertThat(purchase.challengeId()).isEqualTo("ch_jwe");
    assertThat(purchase.merchantName()).isEqualTo("Acme Corp");
    assertThat(purchase.recipientId()).contains("merch_abc123");
    assertThat(purchase.amount().units()).isEqualTo(BigInteger.valueOf(4999));
  }

  @Test
  void sendsTheBillingAddressWhenTheMerchantRequiresIt() {
    Challenge challenge = challenge("ch_billing", r -> details(r).put("billingRequired", true));

    ObjectNode payload = rail.pay(challenge, CONTEXT).payload();

    assertThat(payload.at("/billingAddress/zip").asText())
        .isEqualTo(TestCardCredentials.BILLING_ZIP);
    assertThat(payload.at("/billingAddress/countryCode").asText()).isEqualTo("US");
    assertThat(payload.at("/billingAddress").has("line2")).isFalse();
  }

  @Test
  void payingTheSameChallengeAgainResendsTheSameCredential() {
    Challenge challenge = challenge("ch_again", r -> {});

    RailPayment first = rail.pay(challenge, CONTEXT);
    RailPayment second = rail.pay(challenge, CONTEXT);

    assertThat(second.payload()).isEqualTo(first.payload());
    assertThat(credentials.purchases()).hasSize(1);
    assertThat(rail.pay(challenge("ch_other", r -> {}), CONTEXT).payload())
        .isNotEqualTo(first.payload());
  }

  @Test
  void refusesPlainHttpEvenOnLoopbackUnlessTestingAllowsIt() {
    PaymentContext loopback =
        PaymentContext.of(URI.create("http://127.0.0.1:8080/paid"), "GET", "bot-1");

    assertThatThrownBy(() -> rail.pay(challenge("ch_http", r -> {}), loopback))
        .isInstanceOfSatisfying(
            PaymentRefusedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INSECURE_TRANSPORT));
    assertThat(credentials.purchases()).isEmpty();

    CardRail testing =
        CardRail.builder()
            .credentials(credentials)
            .allowPlainHttpOnLoopbackForTesting(true)
            .build();
    assertThat(testing.pay(challenge("ch_http", r -> {}), loopback).payload().has("network"))
        .isTrue();
    PaymentContext remote =
        PaymentContext.of(URI.create("http://merchant.example/paid"), "GET", "bot-1");
    assertThatThrownBy(() -> testing.pay(challenge("ch_remote", r -> {}), remote))
        .isInstanceOf(PaymentRefusedException.class);
  }

  @Test
  void enablerFailureIsARailFailureNamingOnlyTheCardLabel() {
    credentials.refuse(true);

    assertThatThrownBy(() -> rail.pay(challenge("ch_refused", r -> {}), CONTEXT))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.RAIL_FAILED);
              assertThat(e.getMessage()).contains("visa ••4242");
            });
  }

  @Test
  void secretsStayOutOfToString() {
    CardTokenData data =
        new CardTokenData(
            new NetworkToken(TestCardCredentials.TOKEN, "06", "2034", "07"),
            new DynamicData("AmDDBjkH/4A=", "CARD_APPLICATION_CRYPTOGRAM_SHORT_FORM", 1746296464));
    Card card = TestCardCredentials.visaCard();
    String all =
        data
            + " "
            + data.token()
            + " "
            + data.dynamicData()
            + " "
            + card
            + " "
            + card.billingAddress().orElseThrow()
            + " "
            + rail
            + " "
            + credentials;

    assertThat(all)
        .doesNotContain(TestCardCredentials.TOKEN)
        .doesNotContain("AmDDBjkH")
        .doesNotContain(TestCardCredentials.BILLING_ZIP)
        .doesNotContain(TestCardCredentials.CARDHOLDER)
        .doesNotContain(TestCardCredentials.PAR)
        .contains("visa ••4242");
  }
}
