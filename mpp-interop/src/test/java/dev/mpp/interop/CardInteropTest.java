package dev.mpp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Receipt;
import dev.mpp.rail.card.CardRail;
import dev.mpp.rail.card.testing.TestCardCredentials;
import dev.mpp.testkit.stack.LocalCardServer;
import dev.mpp.testkit.stack.LocalCardServerExtension;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The card rail against the loopback card merchant ({@code card-server.mjs}), which decrypts every
 * credential with npm {@code jose} and checks the cryptogram it expects: key inline and from the
 * JWK Set, billing data, a decline (released, never retried), and the replay rules of §8.2 (the
 * same credential again gets the cached receipt after success and 409 after a failure).
 */
@ExtendWith(LocalCardServerExtension.class)
class CardInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AGENT = "card-agent";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final LocalCardServer server;
  private final TestCardCredentials credentials = TestCardCredentials.visa();
  private final Wallet wallet;

  CardInteropTest(LocalCardServer server) {
    this.server = server;
    CardRail rail =
        CardRail.builder()
            .credentials(credentials)
            // The local merchant speaks plain HTTP on loopback; §10.1 refuses that otherwise.
            .allowPlainHttpOnLoopbackForTesting(true)
            .build();
    this.wallet =
        Wallet.builder()
            .ledger(new InMemoryLedgerStore())
            .rail(rail)
            .agent(AGENT, Policy.builder().cap(Window.DAY, "10.00").build())
            .build();
  }

  @AfterEach
  void close() {
    wallet.close();
  }

  private JsonNode charge(String challengeId) throws Exception {
    JsonNode charges = JSON.readTree(get(server.url("/card/charges"), null).body());
    for (JsonNode charge : charges) {
      if (charge.path("challengeId").asText().equals(challengeId)) {
        return charge;
      }
    }
    throw new AssertionError("the server recorded no charge for " + challengeId + ": " + charges);
  }

  private static HttpResponse<String> get(URI url, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void paysWithTheKeyEmbeddedInTheChallenge(Adapter adapter) throws Exception {
    assertPaid(adapter.agent(wallet, AGENT).get(server.url("/card/inline")), "inline");
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void paysWithTheKeyFromTheJwkSet(Adapter adapter) throws Exception {
    assertPaid(adapter.agent(wallet, AGENT).get(server.url("/card/jwks")), "jwks");
  }

  @Test
  void sendsBillingDataWhenTheMerchantRequiresIt() throws Exception {
    assertPaid(Adapter.JDK.agent(wallet, AGENT).get(server.url("/card/billing")), "billing");
  }

  private void assertPaid(Adapter.Fetched fetched, String route) throws Exception {
    assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
    PaymentRecord record = fetched.paid();
    assertThat(record.state()).isEqualTo(PaymentState.PAID);
    assertThat(record.method()).isEqualTo("card");
    assertThat(record.currency()).isEqualTo("usd");
    assertThat(record.amount()).isEqualTo(BigInteger.valueOf(125));
    assertThat(record.usdMicros()).isEqualTo(1_250_000);
    Receipt receipt = Receipt.parse(fetched.receiptHeader().orElseThrow());
    assertThat(record.reference()).isEqualTo(receipt.reference()).startsWith("visa_txn_");
    JsonNode charge = charge(record.challengeId());
    assertThat(charge.path("status").asText()).isEqualTo("paid");
    assertThat(charge.path("route").asText()).isEqualTo(route);
    assertThat(charge.path("decrypted").asBoolean()).isTrue();
    assertThat(charge.path("panLastFour").asText()).isEqualTo("4242");
    assertThat(charge.path("tokenLastFour").asText())
        .isEqualTo(TestCardCredentials.TOKEN.substring(TestCardCredentials.TOKEN.length() - 4));
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void aDeclineReleasesTheReservationAndIsNotRetried(Adapter adapter) throws Exception {
    Adapter.Fetched fetched = adapter.agent(wallet, AGENT).get(server.url("/card/decline"));

    assertThat(fetched.status()).isEqualTo(402);
    PaymentRecord record = fetched.record().orElseThrow();
    assertThat(record.state()).isEqualTo(PaymentState.RELEASED);
    assertThat(charge(record.challengeId()).path("status").asText()).isEqualTo("declined");
    assertThat(credentials.purchases()).hasSize(1);
    assertThat(wallet.budget(AGENT).lines().get(0).remaining()).isEqualByComparingTo("10.00");
  }

  @Test
  void theSameCredentialAgainGetsTheCachedReceiptOrA409() throws Exception {
    String paid = credentialFor(server.url("/card/inline"));
    HttpResponse<String> first = get(server.url("/card/inline"), paid);
    HttpResponse<String> again = get(server.url("/card/inline"), paid);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.headers().firstValue("Payment-Receipt"))
        .isEqualTo(first.headers().firstValue("Payment-Receipt"));

    String declined = credentialFor(server.url("/card/decline"));
    assertThat(get(server.url("/card/decline"), declined).statusCode()).isEqualTo(402);
    assertThat(get(server.url("/card/decline"), declined).statusCode()).isEqualTo(409);
  }

  /**
   * The answer to a failed attempt is lost and the same credential goes out again (draft §8.2): the
   * server's 409 proves the earlier attempt failed, so the wallet releases the reservation.
   */
  @Test
  void a409ToTheResentCredentialReleasesTheReservation() throws Exception {
    URI url = server.url("/card/decline");
    HttpResponse<String> unpaid = get(url, null);
    PaymentAuthorization authorization =
        wallet.authorize(
            PaymentContext.of(url, "GET", AGENT),
            Challenge.parseAll(unpaid.headers().allValues("WWW-Authenticate")).valid());
    assertThat(get(url, authorization.authorizationHeader()).statusCode()).isEqualTo(402);
    HttpResponse<String> resent = get(url, authorization.authorizationHeader());
    assertThat(resent.statusCode()).isEqualTo(409);

    PaymentRecord record = authorization.unexpectedStatus(resent.statusCode(), null);

    assertThat(record.state()).isEqualTo(PaymentState.RELEASED);
    assertThat(credentials.purchases()).hasSize(1);
    assertThat(wallet.budget(AGENT).lines().get(0).remaining()).isEqualByComparingTo("10.00");
  }

  private String credentialFor(URI url) throws Exception {
    HttpResponse<String> unpaid = get(url, null);
    assertThat(unpaid.statusCode()).isEqualTo(402);
    List<Challenge> offers =
        Challenge.parseAll(unpaid.headers().allValues("WWW-Authenticate")).valid();
    PaymentAuthorization authorization =
        wallet.authorize(PaymentContext.of(url, "GET", AGENT), offers);
    return authorization.authorizationHeader();
  }
}
