package dev.mpp.wallet;

import static dev.mpp.wallet.testing.Offers.offer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentResult;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.ProblemType;
import dev.mpp.wallet.WalletFlowTest.Response;
import dev.mpp.wallet.WalletFlowTest.ScriptedServer;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.RailPayment;
import dev.mpp.wallet.testing.ForwardingRail;
import dev.mpp.wallet.testing.TestRail;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A rail that settles a payment itself (a push-mode transfer it broadcast and saw mined) has moved
 * money whatever the server answers: a refused credential must keep counting (UNKNOWN, with the
 * transaction as reference) and must never be paid a second time, even where the problem type alone
 * would allow a fresh attempt.
 */
class SettledByRailTest {
  private static final URI URL = URI.create("https://api.example.com/v1/data");

  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  private final AtomicInteger signed = new AtomicInteger();

  /** The test rail, but reporting each payment as settled by itself under {@code 0xpushed-<id>}. */
  private Rail rail(boolean settles) {
    return new ForwardingRail(TestRail.builder().asset("usd", 2).build()) {
      @Override
      public RailPayment pay(Challenge challenge, PaymentContext context) {
        RailPayment payment = super.pay(challenge, context);
        signed.incrementAndGet();
        return new RailPayment(
            payment.payload(), payment.source(), "0xpushed-" + challenge.id(), settles);
      }
    };
  }

  private Wallet wallet(boolean settles) {
    return Wallet.builder()
        .ledger(ledger)
        .rail(rail(settles))
        .agent("bot", Policy.builder().cap(Window.DAY, "1.00").build())
        .build();
  }

  /** Refuses every credential as an invalid challenge, with a fresh challenge to pay instead. */
  private static ScriptedServer refusingServer() {
    AtomicInteger ids = new AtomicInteger();
    String problem =
        JsonNodeFactory.instance
            .objectNode()
            .put("type", ProblemType.INVALID_CHALLENGE.uri())
            .put("title", "Invalid Challenge")
            .put("status", 402)
            .toString();
    return new ScriptedServer(
        List.of(offer("c-0", "test", "25", "usd")),
        credential ->
            new Response(
                402,
                Map.of(
                    "WWW-Authenticate",
                    List.of(
                        offer("c-" + ids.incrementAndGet(), "test", "25", "usd").toHeaderValue()),
                    "Content-Type",
                    List.of("application/problem+json")),
                problem.getBytes(StandardCharsets.UTF_8)));
  }

  private static PaymentFlow flow(Wallet wallet) {
    return PaymentFlow.builder(wallet).agent("bot").maxPaymentAttempts(2).build();
  }

  @Test
  void aRefusedCredentialTheRailSettledStaysCountedAndIsNotPaidAgain() throws Exception {
    ScriptedServer server = refusingServer();
    try (Wallet wallet = wallet(true)) {
      PaymentResult<Response> result =
          flow(wallet).execute(PaymentContext.of(URL, "GET", "bot"), server);

      assertThat(result.response().status()).isEqualTo(402);
      PaymentRecord record = result.paymentRecord().orElseThrow();
      assertThat(record.state()).isEqualTo(PaymentState.UNKNOWN);
      assertThat(record.reference()).isEqualTo("0xpushed-c-0");
      assertThat(record.detail()).contains("already settled 0xpushed-c-0");
      assertThat(signed.get()).isEqualTo(1);
      assertThat(server.requests.stream().filter(r -> r.containsKey("Authorization"))).hasSize(1);
      assertThat(wallet.budget("bot").lines().get(0).unknown())
          .isEqualByComparingTo(new BigDecimal("0.25"));
    }
  }

  @Test
  void aRefusedCredentialTheServerWouldSettleIsReleasedAndMayBePaidAgain() throws Exception {
    ScriptedServer server = refusingServer();
    try (Wallet wallet = wallet(false)) {
      flow(wallet).execute(PaymentContext.of(URL, "GET", "bot"), server);

      // Two attempts, both refused before settlement: both released, nothing counted.
      assertThat(signed.get()).isEqualTo(2);
      assertThat(ledger.query(LedgerQuery.all()))
          .extracting(PaymentRecord::state)
          .containsExactly(PaymentState.RELEASED, PaymentState.RELEASED);
    }
  }

  @Test
  void aSettledPaymentNeedsItsReference() {
    assertThatThrownBy(
            () -> new RailPayment(JsonNodeFactory.instance.objectNode(), null, null, true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
