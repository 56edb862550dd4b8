package dev.mpp.testkit.tempo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.PaymentContext;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.Receipt;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.rail.tempo.TempoChargeRail;
import dev.mpp.rail.tempo.TempoConfig;
import dev.mpp.rail.tempo.TempoMode;
import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.testkit.stack.LocalChain;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.testkit.stack.LocalStackExtension;
import dev.mpp.testkit.stack.ServerRoute;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.RailPayment;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pays the reference server (mppx 0.11.0) with the Java Tempo rail: every Tempo route must answer
 * 200 with a {@code Payment-Receipt}, and the chain must show exactly the charged amounts. Payer:
 * dev account 7.
 */
@ExtendWith(LocalStackExtension.class)
class TempoRailReferenceServerTest {

  private static final DevAccount PAYER = DevAccount.get(7);
  private static final EvmAddress PATH_USD = EvmAddress.parse(LocalChain.PATH_USD);

  private final LocalStack stack;
  private final HttpClient http = HttpClient.newHttpClient();

  TempoRailReferenceServerTest(LocalStack stack) {
    this.stack = stack;
  }

  private TempoChargeRail rail(TempoMode... modes) {
    TempoConfig config =
        TempoConfig.builder(LocalChain.CHAIN_ID).asset(PATH_USD).modes(modes).build();
    return TempoChargeRail.builder(config, PrivateKeySigner.of(PAYER.privateKeyHex().toCharArray()))
        .rpc(JsonRpcClient.create(stack.rpcUrl()))
        .build();
  }

  private record Paid(HttpResponse<String> response, RailPayment payment, Quote quote) {
    Receipt receipt() {
      return Receipt.parse(response.headers().firstValue("Payment-Receipt").orElseThrow());
    }
  }

  private Paid pay(ServerRoute route, TempoChargeRail rail)
      throws IOException, InterruptedException {
    URI url = stack.url(route);
    HttpResponse<String> offer =
        http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(offer.statusCode()).isEqualTo(402);
    List<Challenge> challenges =
        Challenge.parseAll(offer.headers().allValues("WWW-Authenticate")).valid();
    Challenge challenge = challenges.get(0);
    Quote quote = rail.quote(challenge);
    RailPayment payment = rail.pay(challenge, PaymentContext.of(url, "GET", "agent"));
    String authorization =
        Credential.of(challenge, payment.payload(), payment.sourceDid().orElse(null))
            .toHeaderValue();
    HttpResponse<String> paid =
        http.send(
            HttpRequest.newBuilder(url).header("Authorization", authorization).build(),
            HttpResponse.BodyHandlers.ofString());
    return new Paid(paid, payment, quote);
  }

  private BigInteger balance(String account) {
    return stack.chain().balanceOf(LocalChain.PATH_USD, account);
  }

  @Test
  void pullPaymentIsSettledByTheServer() throws Exception {
    String recipient = stack.server().recipient();
    BigInteger before = balance(recipient);

    Paid paid = pay(ServerRoute.TEMPO_CHARGE, rail(TempoMode.PULL));

    assertThat(paid.response().statusCode()).as(paid.response().body()).isEqualTo(200);
    assertThat(paid.receipt().method()).isEqualTo("tempo");
    assertThat(paid.receipt().reference()).isEqualTo(paid.payment().preSettlementReference().get());
    assertThat(balance(recipient).subtract(before)).isEqualTo(BigInteger.valueOf(10_000));
  }

  @Test
  void pushPaymentIsVerifiedByTheServer() throws Exception {
    String recipient = stack.server().recipient();
    BigInteger before = balance(recipient);

    Paid paid = pay(ServerRoute.TEMPO_CHARGE, rail(TempoMode.PUSH));

    assertThat(paid.response().statusCode()).as(paid.response().body()).isEqualTo(200);
    assertThat(paid.receipt().reference()).isEqualTo(paid.payment().payload().get("hash").asText());
    assertThat(balance(recipient).subtract(before)).isEqualTo(BigInteger.valueOf(10_000));
  }

  @Test
  void sponsoredPullCostsThePayerExactlyTheAmount() throws Exception {
    String recipient = stack.server().recipient();
    BigInteger recipientBefore = balance(recipient);
    BigInteger payerBefore = balance(PAYER.address());

    // The route offers pull only; a rail allowing both still picks pull.
    Paid paid = pay(ServerRoute.TEMPO_SPONSORED, rail(TempoMode.PUSH, TempoMode.PULL));

    assertThat(paid.response().statusCode()).as(paid.response().body()).isEqualTo(200);
    assertThat(((Quote.Payable) paid.quote()).fee().units()).isZero();
    assertThat(balance(recipient).subtract(recipientBefore)).isEqualTo(BigInteger.valueOf(20_000));
    assertThat(payerBefore.subtract(balance(PAYER.address())))
        .isEqualTo(BigInteger.valueOf(20_000));
  }

  @Test
  void zeroAmountProofIsAccepted() throws Exception {
    BigInteger payerBefore = balance(PAYER.address());

    Paid paid = pay(ServerRoute.TEMPO_ZERO, rail(TempoMode.PULL));

    assertThat(paid.response().statusCode()).as(paid.response().body()).isEqualTo(200);
    assertThat(paid.payment().payload().get("type").asText()).isEqualTo("proof");
    assertThat(paid.payment().sourceDid())
        .contains("did:pkh:eip155:1337:" + EvmAddress.parse(PAYER.address()).toChecksumHex());
    assertThat(balance(PAYER.address())).isEqualTo(payerBefore);
  }
}
