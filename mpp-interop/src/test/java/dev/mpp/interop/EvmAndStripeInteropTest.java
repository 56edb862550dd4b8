package dev.mpp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Receipt;
import dev.mpp.rail.stripe.StripeRail;
import dev.mpp.rail.stripe.StripeSecretKey;
import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.testkit.stack.LocalMppServer;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.testkit.stack.LocalStackExtension;
import dev.mpp.testkit.stack.ServerRoute;
import dev.mpp.testkit.stack.TransactionReceipt;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.price.Prices;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The EVM and Stripe routes through each adapter. EVM: the wallet signs an EIP-3009 authorization
 * for the server's test token, the reference server settles it on anvil, and the chain must show
 * the exact transfer (the payer pays no gas). Stripe: the rail mints a Shared Payment Token from a
 * fake Stripe API, the reference server charges it through its fake Stripe SDK, and both sides must
 * agree on the PaymentIntent; replaying the credential must not charge again. EVM payers: dev
 * account 4 (OkHttp) and 6 (JDK).
 */
@ExtendWith(LocalStackExtension.class)
class EvmAndStripeInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AGENT = "evm-stripe";
  private static final String TOKEN = LocalMppServer.EVM_TOKEN;

  private final LocalStack stack;
  private final Chain chain;
  private final FakeStripeApi stripe = new FakeStripeApi();
  private final TamperingProxy proxy;

  EvmAndStripeInteropTest(LocalStack stack) {
    this.stack = stack;
    this.chain = new Chain(stack.chain());
    this.proxy = new TamperingProxy(stack.server().baseUrl());
  }

  @AfterEach
  void close() {
    stripe.close();
    proxy.close();
  }

  private static Policy policy() {
    return Policy.builder().cap(Window.DAY, "5.00").build();
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void evmAuthorizationIsSettledOnChainByTheServer(Adapter adapter) {
    DevAccount payer = DevAccount.get(adapter == Adapter.OKHTTP ? 4 : 6);
    String recipient = stack.server().recipient();
    BigInteger payerBefore = chain.balance(TOKEN, payer.address());
    BigInteger recipientBefore = chain.balance(TOKEN, recipient);
    try (Wallet wallet =
        Wallet.builder()
            .ledger(new InMemoryLedgerStore())
            .rail(Rails.evm(stack, payer))
            .prices(Prices.builder().stablecoin(TOKEN, 6).build())
            .agent(AGENT, policy())
            .build()) {
      Adapter.Fetched fetched = adapter.agent(wallet, AGENT).get(stack.url(ServerRoute.EVM_CHARGE));

      assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
      PaymentRecord record = fetched.paid();
      assertThat(record.state()).isEqualTo(PaymentState.PAID);
      assertThat(record.method()).isEqualTo("evm");
      assertThat(record.currency()).isEqualToIgnoringCase(TOKEN);
      assertThat(record.amount()).isEqualTo(BigInteger.valueOf(50_000));
      assertThat(record.usdMicros()).isEqualTo(50_000);
      assertThat(record.reference())
          .isEqualTo(Receipt.parse(fetched.receiptHeader().orElseThrow()).reference())
          .matches("0x[0-9a-f]{64}");
      TransactionReceipt tx = chain.receipt(record.reference());
      assertThat(tx.success()).isTrue();
      assertThat(tx.from()).isEqualToIgnoringCase(LocalMppServer.FEE_PAYER.address());
      assertThat(Chain.transfers(tx, TOKEN))
          .containsExactly(Chain.Transfer.of(payer.address(), recipient, 50_000));
      assertThat(payerBefore.subtract(chain.balance(TOKEN, payer.address())))
          .isEqualTo(BigInteger.valueOf(50_000));
      assertThat(chain.balance(TOKEN, recipient).subtract(recipientBefore))
          .isEqualTo(BigInteger.valueOf(50_000));
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void stripeTokenIsChargedOnceByTheServer(Adapter adapter) throws Exception {
    StripeRail rail =
        StripeRail.builder()
            .secretKey(StripeSecretKey.of(FakeStripeApi.SECRET_KEY))
            .paymentMethod(FakeStripeApi.PAYMENT_METHOD)
            .currencies("usd")
            .apiBase(stripe.apiBase())
            .maxNetworkRetries(0)
            .build();
    try (Wallet wallet =
        Wallet.builder()
            .ledger(new InMemoryLedgerStore())
            .rail(rail)
            .agent(AGENT, policy())
            .build()) {
      Adapter.Fetched fetched =
          adapter.agent(wallet, AGENT).get(proxy.url(ServerRoute.STRIPE_CHARGE.path()));

      assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
      PaymentRecord record = fetched.paid();
      assertThat(record.state()).isEqualTo(PaymentState.PAID);
      assertThat(record.method()).isEqualTo("stripe");
      assertThat(record.currency()).isEqualTo("usd");
      assertThat(record.amount()).isEqualTo(BigInteger.valueOf(50));
      assertThat(record.usdMicros()).isEqualTo(500_000);
      assertThat(record.reference())
          .isEqualTo(Receipt.parse(fetched.receiptHeader().orElseThrow()).reference())
          .startsWith("pi_test_");

      // The buyer's Stripe minted one token, limited to this charge...
      assertThat(stripe.minted).hasSize(1);
      FakeStripeApi.Minted minted = stripe.minted.get(0);
      assertThat(minted.token()).startsWith("spt_test_");
      assertThat(minted.params())
          .containsEntry("payment_method", FakeStripeApi.PAYMENT_METHOD)
          .containsEntry("usage_limits[currency]", "usd")
          .containsEntry("usage_limits[max_amount]", "50")
          .containsEntry("seller_details[network_id]", LocalMppServer.STRIPE_NETWORK_ID);
      // ...and the seller's Stripe charged exactly that token once, for the recorded amount.
      JsonNode intent = paymentIntent(record.reference());
      assertThat(intent.path("amount").asLong()).isEqualTo(50);
      assertThat(intent.path("currency").asText()).isEqualTo("usd");
      assertThat(intent.path("shared_payment_granted_token").asText()).isEqualTo(minted.token());

      // The same credential again: refused, and no second PaymentIntent.
      int intents = paymentIntents().size();
      HttpResponse<String> replay =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(stack.url(ServerRoute.STRIPE_CHARGE))
                      .header("Authorization", proxy.forwarded.get(0))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(replay.statusCode()).isEqualTo(402);
      assertThat(replay.body()).contains("verification-failed");
      assertThat(paymentIntents()).hasSize(intents);
    }
  }

  private List<JsonNode> paymentIntents() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(stack.server().url("/stripe/payment_intents")).build(),
                HttpResponse.BodyHandlers.ofString());
    List<JsonNode> intents = new ArrayList<>();
    JSON.readTree(response.body()).path("data").forEach(intents::add);
    return intents;
  }

  private JsonNode paymentIntent(String id) throws IOException, InterruptedException {
    return paymentIntents().stream()
        .filter(intent -> intent.path("id").asText().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the server created no PaymentIntent " + id));
  }
}
