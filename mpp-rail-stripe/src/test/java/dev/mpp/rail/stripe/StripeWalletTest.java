package dev.mpp.rail.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.wallet.Budget;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Stripe rail inside the wallet: a refused token creation releases the reservation. */
class StripeWalletTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk_live_walletTest0123456789";
  private static final PaymentContext CONTEXT =
      PaymentContext.of(URI.create("https://api.example.com/paid"), "GET", "bot-1");

  private MockWebServer stripe;
  private Wallet wallet;

  @BeforeEach
  void start() throws Exception {
    stripe = new MockWebServer();
    stripe.start(InetAddress.getByName("127.0.0.1"), 0);
    StripeRail rail =
        StripeRail.builder()
            .secretKey(StripeSecretKey.of(KEY))
            .paymentMethod("pm_saved")
            .currencies("usd")
            .apiBase(URI.create("http://127.0.0.1:" + stripe.getPort()))
            .maxNetworkRetries(0)
            .build();
    wallet =
        Wallet.builder()
            .ledger(new InMemoryLedgerStore())
            .rail(rail)
            .agent("bot-1", Policy.builder().cap(Window.DAY, "10.00").build())
            .build();
  }

  @AfterEach
  void stop() {
    wallet.close();
    stripe.close();
  }

  private static Challenge challenge(String id, long cents) {
    ObjectNode request = JSON.createObjectNode();
    request.put("amount", Long.toString(cents));
    request.put("currency", "usd");
    ObjectNode details = request.putObject("methodDetails");
    details.put("networkId", "profile_seller");
    details.putArray("paymentMethodTypes").add("card");
    return Challenge.builder()
        .id(id)
        .realm("api.example.com")
        .method("stripe")
        .intent("charge")
        .request(PaymentRequest.of(request).raw())
        .expires(Instant.now().plusSeconds(300))
        .build();
  }

  private BigDecimal remainingToday() {
    Budget budget = wallet.budget("bot-1");
    assertThat(budget.lines()).hasSize(1);
    return budget.lines().get(0).remaining();
  }

  @Test
  void declinedTokenCreationReleasesTheReservation() {
    stripe.enqueue(
        new MockResponse.Builder()
            .code(402)
            .addHeader("Content-Type", "application/json")
            .body(
                "{\"error\":{\"type\":\"card_error\",\"code\":\"card_declined\","
                    + "\"decline_code\":\"generic_decline\",\"message\":\"Your card was declined.\"}}")
            .build());

    assertThatThrownBy(() -> wallet.authorize(CONTEXT, List.of(challenge("ch_declined", 250))))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.RAIL_FAILED);
              assertThat(StripeApiError.in(e).orElseThrow().code()).isEqualTo("card_declined");
              assertThat(e.getMessage()).doesNotContain(KEY);
            });

    List<PaymentRecord> records = wallet.records(LedgerQuery.all());
    assertThat(records).hasSize(1);
    assertThat(records.get(0).state()).isEqualTo(PaymentState.RELEASED);
    assertThat(records.get(0).challengeId()).isEqualTo("ch_declined");
    assertThat(remainingToday()).isEqualByComparingTo("10.00");
  }

  @Test
  void createdTokenKeepsTheAmountHeldUntilSettled() {
    stripe.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body("{\"id\":\"spt_held\"}")
            .build());

    PaymentAuthorization authorization =
        wallet.authorize(CONTEXT, List.of(challenge("ch_ok", 250)));

    assertThat(authorization.record().state()).isEqualTo(PaymentState.HELD);
    assertThat(authorization.record().usdMicros()).isEqualTo(2_500_000);
    assertThat(remainingToday()).isEqualByComparingTo("7.50");
  }
}
