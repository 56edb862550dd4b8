package dev.mpp.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Starts the real local stack (anvil + mppx reference server) and pins what it serves. */
@ExtendWith(LocalStackExtension.class)
class LocalStackTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final LocalStack stack;

  LocalStackTest(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void chainHasMinedAndReportsItsChainId() {
    LocalChain chain = stack.chain();
    assertThat(chain.blockNumber()).isGreaterThanOrEqualTo(1);
    assertThat(chain.rpc("eth_chainId").asText()).isEqualTo("0x539");
    assertThat(chain.rpcUrl().getHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void hardCodedDevAccountsAreTheChainsAccounts() {
    List<String> onChain = new ArrayList<>();
    stack.chain().rpc("eth_accounts").forEach(a -> onChain.add(a.asText()));
    List<String> ours =
        DevAccount.all().stream().map(a -> a.address().toLowerCase(Locale.ROOT)).toList();
    assertThat(onChain).isEqualTo(ours);
  }

  @Test
  void devAccountsHoldPathUsd() {
    LocalChain chain = stack.chain();
    assertThat(chain.balanceOf(LocalChain.PATH_USD, chain.devAccount(0).address()))
        .isGreaterThan(BigInteger.ZERO);
    // An address nobody funded has nothing: balanceOf really reads the account it is given.
    assertThat(chain.balanceOf(LocalChain.PATH_USD, "0x000000000000000000000000000000000000dEaD"))
        .isZero();
  }

  @Test
  void malformedAddressesAreRejectedBeforeAnyCall() {
    LocalChain chain = stack.chain();

    assertThatThrownBy(() -> chain.balanceOf(LocalChain.PATH_USD, "0x1234"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> chain.call("not-an-address", "0x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tempoChargeAnswers402WithTheConfiguredTempoChallenge() throws Exception {
    HttpResponse<String> response = get(stack.url(ServerRoute.TEMPO_CHARGE), Map.of());

    assertThat(response.statusCode()).isEqualTo(402);
    assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    List<Map<String, String>> challenges = challenges(response);
    assertThat(challenges).hasSize(1);
    Map<String, String> challenge = challenges.get(0);
    assertThat(challenge)
        .containsEntry("method", "tempo")
        .containsEntry("intent", "charge")
        .containsEntry("realm", LocalMppServer.REALM)
        .containsKeys("id", "request", "expires");
    assertThat(Instant.parse(challenge.get("expires"))).isAfter(Instant.now());

    JsonNode request = decodeRequest(challenge);
    assertThat(request.path("amount").asText()).isEqualTo("10000");
    assertThat(request.path("currency").asText()).isEqualTo(LocalChain.PATH_USD);
    assertThat(request.path("recipient").asText())
        .isEqualToIgnoringCase(stack.server().recipient());
    assertThat(request.path("methodDetails").path("chainId").asLong()).isEqualTo(1337);
    assertThat(request.path("methodDetails").has("feePayer")).isFalse();
  }

  @Test
  void sponsoredRouteAnnouncesAFeePayerAndPullOnly() throws Exception {
    JsonNode request =
        decodeRequest(challenges(get(stack.url(ServerRoute.TEMPO_SPONSORED), Map.of())).get(0));

    assertThat(request.path("amount").asText()).isEqualTo("20000");
    assertThat(request.path("methodDetails").path("feePayer").asBoolean()).isTrue();
    assertThat(request.path("methodDetails").path("supportedModes").toString())
        .isEqualTo("[\"pull\"]");
  }

  @Test
  void zeroRouteAsksForNothing() throws Exception {
    JsonNode request =
        decodeRequest(challenges(get(stack.url(ServerRoute.TEMPO_ZERO), Map.of())).get(0));

    assertThat(request.path("amount").asText()).isEqualTo("0");
  }

  @Test
  void expiringRouteIssuesShortLivedChallenges() throws Exception {
    Map<String, String> challenge =
        challenges(get(stack.url(ServerRoute.TEMPO_EXPIRING), Map.of())).get(0);

    Instant expires = Instant.parse(challenge.get("expires"));
    assertThat(expires)
        .isAfter(Instant.now().minusSeconds(1))
        .isBefore(Instant.now().plusSeconds(ServerRoute.EXPIRING_SECONDS + 1));
    assertThat(decodeRequest(challenge).path("amount").asText()).isEqualTo("5000");
  }

  @Test
  void evmRouteOffersTheDeployedTestTokenThatDevAccountsHold() throws Exception {
    JsonNode request =
        decodeRequest(challenges(get(stack.url(ServerRoute.EVM_CHARGE), Map.of())).get(0));

    assertThat(request.path("amount").asText()).isEqualTo("50000");
    assertThat(request.path("currency").asText()).isEqualTo(LocalMppServer.EVM_TOKEN);
    assertThat(request.path("methodDetails").path("credentialTypes").toString())
        .isEqualTo("[\"authorization\"]");
    // Deployed at a fixed address, 6 decimals, every payer account funded.
    LocalChain chain = stack.chain();
    assertThat(chain.call(LocalMppServer.EVM_TOKEN, "0x313ce567"))
        .isEqualTo("0x" + "0".repeat(63) + "6");
    for (int i = 2; i <= 3; i++) {
      assertThat(chain.balanceOf(LocalMppServer.EVM_TOKEN, chain.devAccount(i).address()))
          .isEqualTo(LocalMppServer.EVM_TOKEN_GRANT);
    }
  }

  @Test
  void stripeRouteAsksForACardTokenOnTheLocalNetwork() throws Exception {
    JsonNode request =
        decodeRequest(challenges(get(stack.url(ServerRoute.STRIPE_CHARGE), Map.of())).get(0));

    assertThat(request.path("amount").asText()).isEqualTo("50");
    assertThat(request.path("currency").asText()).isEqualTo("usd");
    assertThat(request.path("methodDetails").path("networkId").asText())
        .isEqualTo(LocalMppServer.STRIPE_NETWORK_ID);
    assertThat(request.path("methodDetails").path("paymentMethodTypes").toString())
        .isEqualTo("[\"card\"]");
  }

  @Test
  void multiOffersEveryConfiguredMethodInOrder() throws Exception {
    List<Map<String, String>> challenges = challenges(get(stack.url(ServerRoute.MULTI), Map.of()));

    List<ServerRoute.Offer> offered = new ArrayList<>();
    for (Map<String, String> challenge : challenges) {
      JsonNode request = decodeRequest(challenge);
      offered.add(
          new ServerRoute.Offer(
              challenge.get("method"),
              request.path("currency").asText(),
              new BigInteger(request.path("amount").asText())));
    }
    assertThat(offered).isEqualTo(ServerRoute.MULTI.offers());
    assertThat(challenges).extracting(c -> c.get("id")).doesNotHaveDuplicates();
  }

  @Test
  void freeRouteNeedsNoPayment() throws Exception {
    HttpResponse<String> response = get(stack.url(ServerRoute.FREE), Map.of());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Payment-Receipt")).isEmpty();
    assertThat(JSON.readTree(response.body()).path("route").asText()).isEqualTo("/free");
  }

  @Test
  void routeTableMatchesTheServer() throws Exception {
    JsonNode listing = JSON.readTree(get(stack.server().url("/routes"), Map.of()).body());

    assertThat(listing.path("realm").asText()).isEqualTo(LocalMppServer.REALM);
    assertThat(listing.path("recipient").asText()).isEqualTo(stack.server().recipient());
    List<String> paths = new ArrayList<>();
    for (JsonNode route : listing.path("routes")) {
      String path = route.path("route").asText();
      paths.add(path);
      ServerRoute known =
          List.of(ServerRoute.values()).stream()
              .filter(r -> r.path().equals(path))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("server route missing in ServerRoute: " + path));
      List<ServerRoute.Offer> offers = new ArrayList<>();
      for (JsonNode offer : route.path("offers")) {
        offers.add(
            new ServerRoute.Offer(
                offer.path("method").asText(),
                offer.path("currency").asText(),
                new BigInteger(offer.path("amount").asText())));
      }
      assertThat(offers).as(path).isEqualTo(known.offers());
    }
    assertThat(paths)
        .containsExactlyInAnyOrderElementsOf(
            List.of(ServerRoute.values()).stream().map(ServerRoute::path).toList());
  }

  @Test
  void testMethodAcceptsTheChallengeHmacAndReturnsAReceipt() throws Exception {
    URI url = stack.url(ServerRoute.TEST_CHARGE);
    Map<String, String> challenge = challenges(get(url, Map.of())).get(0);
    String mac = stack.server().testMac(challenge.get("id"));

    HttpResponse<String> paid = get(url, Map.of("Authorization", credential(challenge, mac)));

    assertThat(paid.statusCode()).as(paid.body()).isEqualTo(200);
    assertThat(JSON.readTree(paid.body()).path("route").asText()).isEqualTo("/test/charge");
    JsonNode receipt = decodeBase64UrlJson(paid.headers().firstValue("Payment-Receipt").get());
    assertThat(receipt.path("method").asText()).isEqualTo("test");
    assertThat(receipt.path("status").asText()).isEqualTo("success");
    assertThat(receipt.path("reference").asText()).isEqualTo(challenge.get("id"));
  }

  @Test
  void testMethodRejectsAMacForAnotherChallenge() throws Exception {
    URI url = stack.url(ServerRoute.TEST_CHARGE);
    Map<String, String> challenge = challenges(get(url, Map.of())).get(0);
    String wrongMac = stack.server().testMac(challenge.get("id") + "x");

    HttpResponse<String> rejected =
        get(url, Map.of("Authorization", credential(challenge, wrongMac)));

    assertThat(rejected.statusCode()).isEqualTo(402);
    assertThat(rejected.headers().firstValue("Payment-Receipt")).isEmpty();
    assertThat(JSON.readTree(rejected.body()).path("type").asText())
        .isEqualTo("https://paymentauth.org/problems/verification-failed");
    // A fresh challenge comes with the rejection so a client can retry.
    assertThat(challenges(rejected).get(0).get("id")).isNotEqualTo(challenge.get("id"));
  }

  @Test
  void closeStopsBothProcesses() {
    LocalStack own = LocalStack.start();
    long chainPid = own.chain().pid();
    long serverPid = own.server().pid();
    assertThat(own.isAlive()).isTrue();

    own.close();

    assertThat(own.chain().isAlive()).isFalse();
    assertThat(own.server().isAlive()).isFalse();
    assertThat(ProcessHandle.of(chainPid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(ProcessHandle.of(serverPid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThatThrownBy(() -> own.chain().blockNumber()).isInstanceOf(JsonRpcException.class);
    own.close(); // idempotent
  }

  // --------------------------------------------------------------------------------------------

  static HttpResponse<String> get(URI url, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static List<Map<String, String>> challenges(HttpResponse<String> response) {
    List<String> values = response.headers().allValues("WWW-Authenticate");
    assertThat(values).as("WWW-Authenticate").isNotEmpty();
    List<Map<String, String>> challenges = new ArrayList<>();
    values.forEach(v -> challenges.addAll(PaymentChallengeHeader.parse(v)));
    return challenges;
  }

  static JsonNode decodeRequest(Map<String, String> challenge) throws IOException {
    return decodeBase64UrlJson(challenge.get("request"));
  }

  static JsonNode decodeBase64UrlJson(String value) throws IOException {
    return JSON.readTree(new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8));
  }

  /** {@code Payment <base64url(JSON)>} echoing the challenge's parameters byte-for-byte. */
  static String credential(Map<String, String> challenge, String mac) {
    ObjectNode wire = JSON.createObjectNode();
    ObjectNode echoed = wire.putObject("challenge");
    challenge.forEach(echoed::put);
    wire.putObject("payload").put("mac", mac);
    return "Payment "
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(wire.toString().getBytes(StandardCharsets.UTF_8));
  }
}
