package dev.mpp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.mpp.client.Exchange;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentResult;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.rail.card.CardFees;
import dev.mpp.rail.card.CardRail;
import dev.mpp.rail.card.testing.TestCardCredentials;
import dev.mpp.rail.evm.EvmRail;
import dev.mpp.rail.evm.EvmToken;
import dev.mpp.rail.evm.TokenDomain;
import dev.mpp.rail.stripe.StripeFees;
import dev.mpp.rail.stripe.StripeRail;
import dev.mpp.rail.stripe.StripeSecretKey;
import dev.mpp.rail.tempo.TempoChargeRail;
import dev.mpp.rail.tempo.TempoConfig;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.price.Prices;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cheapest-rail choice end to end: a local seller offers {@code stripe/charge} (USD cents),
 * {@code tempo/charge} (pathUSD) and {@code evm/charge} (USDC on Base) at different prices, the
 * payment flow drives a JDK HTTP client, and the wallet picks among the real rails: Stripe (against
 * a fake Stripe API), EVM (signing locally) and Tempo (pull mode with fixed gas settings, so it
 * signs without a chain).
 */
class CheapestRailAcceptanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEV_KEY =
      "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
  private static final String USDC_BASE = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
  private static final String EURC_BASE = "0x60a3E35Cc302bFA44Cb288Bc5a4F316Fdb1adb42";
  private static final String RECIPIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  private static final long TEMPO_CHAIN = 4217;

  private MockWebServer seller;
  private MockWebServer fakeStripe;
  private final List<Challenge> offered = new CopyOnWriteArrayList<>();
  private final List<Credential> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    fakeStripe = new MockWebServer();
    fakeStripe.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body("{\"id\":\"spt_from_fake_stripe\"}")
                .build();
          }
        });
    fakeStripe.start(InetAddress.getByName("127.0.0.1"), 0);
    seller = new MockWebServer();
    seller.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer(request);
          }
        });
    seller.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    seller.close();
    fakeStripe.close();
  }

  /** 402 with every offer until a credential arrives; then 200 with a receipt. */
  private MockResponse answer(RecordedRequest request) {
    String authorization = request.getHeaders().get("Authorization");
    if (authorization == null) {
      MockResponse.Builder response =
          new MockResponse.Builder()
              .code(402)
              .addHeader("Content-Type", "application/problem+json")
              .body(
                  "{\"type\":\"https://paymentauth.org/problems/payment-required\","
                      + "\"title\":\"Payment Required\",\"status\":402}");
      for (Challenge challenge : offered) {
        response.addHeader("WWW-Authenticate", challenge.toHeaderValue());
      }
      return response.build();
    }
    Credential credential = Credential.parse(authorization);
    received.add(credential);
    ObjectNode receipt = JSON.createObjectNode();
    receipt.put("method", credential.challenge().method());
    receipt.put("reference", "ref-" + credential.challenge().id());
    receipt.put("status", "success");
    receipt.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    return new MockResponse.Builder()
        .code(200)
        .addHeader(
            "Payment-Receipt",
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(receipt.toString().getBytes(StandardCharsets.UTF_8)))
        .body("paid content")
        .build();
  }

  private Challenge offer(String id, String method, ObjectNode request) {
    return Challenge.builder()
        .id(id)
        .realm("127.0.0.1")
        .method(method)
        .intent("charge")
        .request(PaymentRequest.of(request).raw())
        .expires(Instant.now().plusSeconds(300).truncatedTo(ChronoUnit.SECONDS))
        .build();
  }

  private Challenge stripeOffer(String id, long cents) {
    ObjectNode request = JSON.createObjectNode();
    request.put("amount", Long.toString(cents));
    request.put("currency", "usd");
    ObjectNode details = request.putObject("methodDetails");
    details.put("networkId", "profile_seller");
    details.putArray("paymentMethodTypes").add("card");
    return offer(id, "stripe", request);
  }

  /** A Tempo offer whose fees the server sponsors, so the rail quotes no fee. */
  private Challenge tempoOffer(String id, long micros) {
    return tempoOffer(id, micros, true);
  }

  private Challenge tempoOffer(String id, long micros, boolean sponsored) {
    ObjectNode request = JSON.createObjectNode();
    request.put("amount", Long.toString(micros));
    request.put("currency", Prices.PATH_USD);
    request.put("recipient", RECIPIENT);
    request.putObject("methodDetails").put("chainId", TEMPO_CHAIN).put("feePayer", sponsored);
    return offer(id, "tempo", request);
  }

  private Challenge evmOffer(String id, String token, long units) {
    ObjectNode request = JSON.createObjectNode();
    request.put("amount", Long.toString(units));
    request.put("currency", token);
    request.put("recipient", RECIPIENT);
    ObjectNode details = request.putObject("methodDetails");
    details.put("chainId", 8453);
    details.putArray("credentialTypes").add("authorization");
    return offer(id, "evm", request);
  }

  private Wallet wallet(Policy policy, StripeFees stripeFees) {
    StripeRail stripe =
        StripeRail.builder()
            .secretKey(StripeSecretKey.of("sk_live_acceptance0123456789"))
            .paymentMethod("pm_saved")
            .currencies("usd")
            .fees(stripeFees)
            .apiBase(URI.create("http://127.0.0.1:" + fakeStripe.getPort()))
            .maxNetworkRetries(0)
            .build();
    EvmRail evm =
        EvmRail.builder()
            .signer(PrivateKeySigner.of(DEV_KEY.toCharArray()))
            .chain(8453)
            .tokens(
                EvmToken.usdcOnBase(),
                EvmToken.of(8453, EURC_BASE, 6, new TokenDomain("EURC", "2")))
            .build();
    TempoChargeRail tempo = tempoRail();
    return Wallet.builder()
        .ledger(new InMemoryLedgerStore())
        .rail(stripe, tempo, evm)
        // USDC is a configured USD stablecoin; EURC deliberately has no price.
        .prices(Prices.builder().stablecoin(USDC_BASE, 6).build())
        .agent("bot-1", policy)
        .build();
  }

  /**
   * Tempo with fixed gas and fee settings: no RPC needed. Unsponsored, the fee is at most 100 000
   * gas × 20 gwei = 2·10^15 atto-dollars = 0.002 pathUSD.
   */
  private static TempoChargeRail tempoRail() {
    return TempoChargeRail.builder(
            TempoConfig.builder(TEMPO_CHAIN)
                .asset(EvmAddress.parse(Prices.PATH_USD))
                .gasLimit(100_000)
                .maxFeePerGas(BigInteger.valueOf(20_000_000_000L))
                .maxPriorityFeePerGas(BigInteger.ONE)
                .build(),
            PrivateKeySigner.of(DEV_KEY.toCharArray()))
        .build();
  }

  private PaymentRecord pay(Wallet wallet, Challenge... offers) throws IOException {
    offered.addAll(Arrays.asList(offers));
    URI url = URI.create("http://127.0.0.1:" + seller.getPort() + "/report");
    PaymentFlow flow = PaymentFlow.builder(wallet).agent("bot-1").build();
    PaymentResult<HttpResponse<byte[]>> result =
        flow.execute(PaymentContext.of(url, "GET", "bot-1"), new JdkExchange(url));
    assertThat(result.response().statusCode()).isEqualTo(200);
    assertThat(received).hasSize(1);
    PaymentRecord record = result.paymentRecord().orElseThrow();
    assertThat(record.state()).isEqualTo(PaymentState.PAID);
    assertThat(record.challengeId()).isEqualTo(received.get(0).challenge().id());
    return record;
  }

  @Test
  void paysTheCheapestOffer() throws IOException {
    PaymentRecord record =
        pay(
            wallet(Policy.unlimited(), StripeFees.none()),
            stripeOffer("stripe-50c", 50),
            tempoOffer("tempo-40c", 400_000),
            evmOffer("evm-45c", USDC_BASE, 450_000));

    assertThat(record.method()).isEqualTo("tempo");
    assertThat(record.usdMicros()).isEqualTo(400_000);
    assertThat(record.rationale())
        .contains("chose #2 tempo/charge")
        .contains("cheapest allowed")
        .containsPattern("#1 stripe/charge[^;]*: costlier")
        .containsPattern("#3 evm/charge[^;]*: costlier");
    assertThat(fakeStripe.getRequestCount()).as("no token minted for an offer not chosen").isZero();
  }

  /** One 2048-bit merchant key for the card offers (generating keys is slow). */
  private static final RSAKey MERCHANT_KEY = merchantKey();

  private static RSAKey merchantKey() {
    try {
      return new RSAKeyGenerator(2048)
          .keyID("enc-acceptance")
          .keyUse(KeyUse.ENCRYPTION)
          .algorithm(JWEAlgorithm.RSA_OAEP_256)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A {@code card/charge} offer (draft-card-charge) with the merchant's key embedded. */
  private Challenge cardOffer(String id, long cents) throws IOException {
    ObjectNode request = JSON.createObjectNode();
    request.put("amount", Long.toString(cents));
    request.put("currency", "usd");
    ObjectNode details = request.putObject("methodDetails");
    details.putArray("acceptedNetworks").add("visa");
    details.put("merchantName", "Acceptance Corp");
    details.set("encryptionJwk", JSON.readTree(MERCHANT_KEY.toPublicJWK().toJSONString()));
    return offer(id, "card", request);
  }

  /** The real card and Tempo rails side by side; the card rail with the given fee model. */
  private Wallet cardAndTempoWallet(CardFees cardFees) {
    CardRail card =
        CardRail.builder()
            .credentials(TestCardCredentials.visa())
            .fees(cardFees)
            // the seller is plain HTTP on loopback; draft §10.1 refuses that otherwise
            .allowPlainHttpOnLoopbackForTesting(true)
            .build();
    TempoChargeRail tempo = tempoRail();
    return Wallet.builder()
        .ledger(new InMemoryLedgerStore())
        .rail(card, tempo)
        .agent("bot-1", Policy.unlimited())
        .build();
  }

  @Test
  void aCardOfferWinsOnPriceUntilItsFeeMakesTempoCheaper() throws IOException {
    // card 0.50 usd vs sponsored tempo 0.60 pathUSD: without a fee the card is cheaper...
    PaymentRecord byCard =
        pay(
            cardAndTempoWallet(CardFees.none()),
            tempoOffer("tempo-60c", 600_000),
            cardOffer("card-50c", 50));
    assertThat(byCard.method()).isEqualTo("card");
    assertThat(byCard.usdMicros()).isEqualTo(500_000);
    assertThat(byCard.detail()).startsWith("visa ••4242");
    assertThat(received.get(0).payload().path("encryptedPayload").asText()).isNotEmpty();

    // ...with 2.9% + 30 cents it costs 0.82 and tempo wins, the record saying why.
    offered.clear();
    received.clear();
    PaymentRecord byTempo =
        pay(
            cardAndTempoWallet(CardFees.percentPlusFixed(new BigDecimal("2.9"), 30)),
            cardOffer("card-50c", 50),
            tempoOffer("tempo-60c", 600_000));
    assertThat(byTempo.method()).isEqualTo("tempo");
    assertThat(byTempo.rationale())
        .contains("chose #2 tempo/charge")
        .containsPattern("#1 card/charge[^;]*: costlier");
  }

  @Test
  void cardFeesCountInTheComparison() throws IOException {
    // 30 cents by card costs 30 + ceil(0.87) + 30 = 61 cents with a 2.9% + 30¢ fee model.
    PaymentRecord record =
        pay(
            wallet(Policy.unlimited(), StripeFees.percentPlusFixed(new BigDecimal("2.9"), 30)),
            stripeOffer("stripe-30c", 30),
            tempoOffer("tempo-50c", 500_000),
            evmOffer("evm-45c", USDC_BASE, 450_000));

    assertThat(record.method()).isEqualTo("evm");
    assertThat(record.currency()).isEqualTo(USDC_BASE.toLowerCase());
    assertThat(record.chainId()).isEqualTo(8453L);
    assertThat(record.rationale())
        .contains("#1 stripe/charge (challenge stripe-30c) via stripe: costlier")
        .contains("0.30 usd in stripe:usd + 0.31 usd fee = 0.61 usd");
    ObjectNode payload = received.get(0).payload();
    assertThat(payload.get("type").asText()).isEqualTo("authorization");
    assertThat(payload.get("value").asText()).isEqualTo("450000");
    assertThat(received.get(0).source()).contains("did:pkh:eip155:8453:" + devAddress());
  }

  @Test
  void tempoGasCountsWhenTheServerDoesNotSponsorIt() throws IOException {
    PaymentRecord record =
        pay(
            wallet(Policy.unlimited(), StripeFees.none()),
            tempoOffer("tempo-40c-unsponsored", 400_000, false),
            evmOffer("evm-40c", USDC_BASE, 400_000));

    assertThat(record.method()).isEqualTo("evm");
    assertThat(record.rationale())
        .contains("#1 tempo/charge (challenge tempo-40c-unsponsored) via tempo: costlier")
        .contains("+ 0.002 usd fee = 0.402 usd");
  }

  @Test
  void aSponsoredTempoOfferIsPaidWithASignedTransaction() throws IOException {
    PaymentRecord record =
        pay(
            wallet(Policy.unlimited(), StripeFees.none()),
            stripeOffer("stripe-50c", 50),
            tempoOffer("tempo-40c", 400_000));

    assertThat(record.method()).isEqualTo("tempo");
    assertThat(record.currency()).isEqualTo(Prices.PATH_USD);
    assertThat(received.get(0).payload().get("type").asText()).isEqualTo("transaction");
    assertThat(received.get(0).payload().get("signature").asText()).startsWith("0x76");
    assertThat(received.get(0).source()).contains("did:pkh:eip155:4217:" + devAddress());
  }

  @Test
  void tiesFollowTheServersOrder() throws IOException {
    PaymentRecord record =
        pay(
            wallet(Policy.unlimited(), StripeFees.none()),
            evmOffer("evm-40c", USDC_BASE, 400_000),
            stripeOffer("stripe-40c", 40),
            tempoOffer("tempo-40c", 400_000));

    assertThat(record.method()).isEqualTo("evm");
    assertThat(record.rationale())
        .containsPattern("#2 stripe/charge[^;]*: same cost, later in server order")
        .containsPattern("#3 tempo/charge[^;]*: same cost, later in server order");
  }

  @Test
  void aStripeTieWonByServerOrderMintsOneToken() throws Exception {
    PaymentRecord record =
        pay(
            wallet(Policy.unlimited(), StripeFees.none()),
            stripeOffer("stripe-40c", 40),
            tempoOffer("tempo-40c", 400_000));

    assertThat(record.method()).isEqualTo("stripe");
    assertThat(received.get(0).payload().get("spt").asText()).isEqualTo("spt_from_fake_stripe");
    assertThat(fakeStripe.getRequestCount()).isEqualTo(1);
    assertThat(fakeStripe.takeRequest().getBody().utf8()).contains("usage_limits[max_amount]=40&");
  }

  @Test
  void aDeniedCheaperOfferIsSkippedAndTheRecordSaysWhy() throws IOException {
    PaymentRecord record =
        pay(
            wallet(Policy.builder().denyMethods("tempo").build(), StripeFees.none()),
            tempoOffer("tempo-10c", 100_000),
            stripeOffer("stripe-20c", 20),
            evmOffer("evm-30c", USDC_BASE, 300_000));

    assertThat(record.method()).isEqualTo("stripe");
    assertThat(record.rationale())
        .contains("chose #2 stripe/charge")
        .containsPattern("#1 tempo/charge[^;]*: denied by agent:bot-1/deny/method")
        .containsPattern("#3 evm/charge[^;]*: costlier");
  }

  @Test
  void anUnpricedCheaperOfferIsSkippedAndTheRecordSaysWhy() throws IOException {
    PaymentRecord record =
        pay(
            wallet(Policy.unlimited(), StripeFees.none()),
            evmOffer("eurc-5c", EURC_BASE, 50_000),
            tempoOffer("tempo-30c", 300_000),
            stripeOffer("stripe-20c", 20));

    assertThat(record.method()).isEqualTo("stripe");
    assertThat(record.rationale())
        .containsPattern("#1 evm/charge[^;]*: unpriced")
        .containsPattern("#2 tempo/charge[^;]*: costlier");
  }

  @Test
  void anOfferNoRailCanPayIsSkippedAndTheRecordSaysWhy() throws IOException {
    ObjectNode sepolia = JSON.createObjectNode();
    sepolia.put("amount", "1");
    sepolia.put("currency", USDC_BASE);
    sepolia.put("recipient", RECIPIENT);
    sepolia
        .putObject("methodDetails")
        .put("chainId", 84532)
        .putArray("credentialTypes")
        .add("authorization");

    PaymentRecord record =
        pay(
            wallet(Policy.unlimited(), StripeFees.none()),
            offer("evm-other-chain", "evm", sepolia),
            tempoOffer("tempo-30c", 300_000));

    assertThat(record.method()).isEqualTo("tempo");
    assertThat(record.rationale())
        .containsPattern("#1 evm/charge[^;]*: unsupported \\(chain 84532 is not configured\\)");
  }

  private static String devAddress() {
    return PrivateKeySigner.of(DEV_KEY.toCharArray()).address();
  }

  /** The payment flow over java.net.http, as the JDK adapter will do it. */
  private static final class JdkExchange implements Exchange<HttpResponse<byte[]>> {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI url;

    JdkExchange(URI url) {
      this.url = url;
    }

    @Override
    public HttpResponse<byte[]> send(Map<String, String> headers) throws IOException {
      HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
      headers.forEach(request::header);
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    @Override
    public int status(HttpResponse<byte[]> response) {
      return response.statusCode();
    }

    @Override
    public List<String> headers(HttpResponse<byte[]> response, String name) {
      return new ArrayList<>(response.headers().allValues(name));
    }

    @Override
    public URI url(HttpResponse<byte[]> response) {
      return response.uri();
    }

    @Override
    public byte[] peekBody(HttpResponse<byte[]> response, int maxBytes) {
      byte[] body = response.body();
      return Arrays.copyOf(body, Math.min(body.length, maxBytes));
    }

    @Override
    public void discard(HttpResponse<byte[]> response) {}
  }
}
