package dev.mpp.rail.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpp.client.ConfigurationException;
import dev.mpp.rail.card.testing.TestCardCredentials;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Money;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The configured token plus an HTTP cryptogram endpoint, as documented on the class. */
class HttpCryptogramSourceTest {
  private static final String API_KEY = "ce_live_secretApiKey123";
  private static final NetworkToken TOKEN =
      new NetworkToken(TestCardCredentials.TOKEN, "06", "2034", "07");
  private static final CardPurchase PURCHASE =
      new CardPurchase(
          "ch_http",
          "api.merchant.example",
          "Acme Corp",
          "merch_abc123",
          new Money(BigInteger.valueOf(4999), new Asset("card", "usd", null, 2)));

  private MockWebServer enabler;
  private ConfiguredCardCredentials credentials;

  @BeforeEach
  void start() throws Exception {
    enabler = new MockWebServer();
    enabler.start(InetAddress.getByName("127.0.0.1"), 0);
    HttpCryptogramSource source =
        HttpCryptogramSource.builder(URI.create("http://127.0.0.1:" + enabler.getPort() + "/c"))
            .apiKey(API_KEY)
            .build();
    credentials = new ConfiguredCardCredentials(TestCardCredentials.visaCard(), TOKEN, source);
  }

  @AfterEach
  void stop() {
    enabler.close();
  }

  @Test
  void postsThePurchaseAndReturnsTheConfiguredTokenWithTheCryptogram() throws Exception {
    enabler.enqueue(
        new MockResponse.Builder()
            .code(200)
            .body(
                "{\"dynamicDataValue\":\"AmDDBjkH/4A=\",\"dynamicDataType\":"
                    + "\"CARD_APPLICATION_CRYPTOGRAM_SHORT_FORM\",\"dynamicDataExpiration\":1746296464}")
            .build());

    CardTokenData data = credentials.provision(credentials.cards().get(0), PURCHASE);

    assertThat(data.token()).isEqualTo(TOKEN);
    assertThat(data.dynamicData().value()).isEqualTo("AmDDBjkH/4A=");
    assertThat(data.dynamicData().expiration()).isEqualTo(1746296464L);
    RecordedRequest request = enabler.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo("ch_http");
    JsonNode body = CardChallenges.JSON.readTree(request.getBody().utf8());
    assertThat(body.get("cardId").asText()).isEqualTo("card_test_visa");
    assertThat(body.get("amount").asText()).isEqualTo("4999");
    assertThat(body.get("currency").asText()).isEqualTo("usd");
    assertThat(body.get("merchantName").asText()).isEqualTo("Acme Corp");
    assertThat(body.toString()).doesNotContain(TestCardCredentials.TOKEN);
  }

  @Test
  void refusalsAndBadAnswersAreProvisioningFailuresWithoutSecrets() {
    enabler.enqueue(
        new MockResponse.Builder().code(403).body("{\"key\":\"" + API_KEY + "\"}").build());
    enabler.enqueue(
        new MockResponse.Builder().code(200).body("{\"dynamicDataType\":\"NONE\"}").build());

    assertThatThrownBy(() -> credentials.provision(credentials.cards().get(0), PURCHASE))
        .isInstanceOf(CardProvisioningException.class)
        .hasMessageContaining("HTTP 403")
        .hasMessageNotContaining(API_KEY);
    assertThatThrownBy(() -> credentials.provision(credentials.cards().get(0), PURCHASE))
        .isInstanceOf(CardProvisioningException.class)
        .hasMessageContaining("lacks dynamicData");
    assertThat(credentials.toString()).doesNotContain(API_KEY).contains("visa ••4242");
  }

  @Test
  void refusesPlainHttpToRemoteEndpoints() {
    assertThatThrownBy(() -> HttpCryptogramSource.builder(URI.create("http://enabler.example/c")))
        .isInstanceOf(ConfigurationException.class);
  }
}
