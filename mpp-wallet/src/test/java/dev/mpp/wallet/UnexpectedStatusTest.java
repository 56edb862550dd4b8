package dev.mpp.wallet;

import static dev.mpp.wallet.testing.Offers.offer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentResult;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Problem;
import dev.mpp.wallet.WalletFlowTest.Response;
import dev.mpp.wallet.WalletFlowTest.ScriptedServer;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.RailPayment;
import dev.mpp.wallet.testing.ForwardingRail;
import dev.mpp.wallet.testing.TestRail;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A status after the credential that is neither a success nor a payment demand keeps the payment
 * counted as unknown, unless the rail's method defines that status as proof that nothing settled
 * (card/charge: 409): then the reservation is released. A rail that settled the payment itself is
 * never released, whatever it says about the status.
 */
class UnexpectedStatusTest {
  private static final URI URL = URI.create("https://api.example.com/v1/data");

  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  private final AtomicInteger signed = new AtomicInteger();

  /** The test rail, claiming that {@code releasing} proves nothing settled. */
  private Rail rail(Integer releasing, boolean settles) {
    return new ForwardingRail(TestRail.builder().asset("usd", 2).build()) {
      @Override
      public RailPayment pay(Challenge challenge, PaymentContext context) {
        RailPayment payment = super.pay(challenge, context);
        signed.incrementAndGet();
        return new RailPayment(
                payment.payload(), payment.source(), settles ? "0xpushed" : null, settles)
            .withLabel("test ••0001");
      }

      @Override
      public boolean provesNoSettlement(int httpStatus, Problem problem) {
        return releasing != null && httpStatus == releasing;
      }
    };
  }

  @ParameterizedTest(name = "rail releases on {0}, settles itself {1}, server answers {2}: {3}")
  @CsvSource({
    "409, false, 409, RELEASED",
    "409, false, 500, UNKNOWN",
    ", false, 409, UNKNOWN",
    "409, true, 409, UNKNOWN",
  })
  void theRailDecidesWhetherAStatusProvesNothingSettled(
      Integer releasing, boolean settles, int status, PaymentState expected) throws Exception {
    ScriptedServer server =
        new ScriptedServer(
            List.of(offer("c-0", "test", "25", "usd")),
            credential -> new Response(status, Map.of(), new byte[0]));
    try (Wallet wallet =
        Wallet.builder()
            .ledger(ledger)
            .rail(rail(releasing, settles))
            .agent("bot", Policy.builder().cap(Window.DAY, "1.00").build())
            .build()) {
      PaymentResult<Response> result =
          PaymentFlow.builder(wallet)
              .agent("bot")
              .build()
              .execute(PaymentContext.of(URL, "GET", "bot"), server);

      assertThat(result.response().status()).isEqualTo(status);
      PaymentRecord record = result.paymentRecord().orElseThrow();
      assertThat(record.state()).isEqualTo(expected);
      assertThat(ledger.find(record.id()).orElseThrow().state()).isEqualTo(expected);
      assertThat(record.detail()).as("the rail's label is recorded").startsWith("test ••0001; ");
      assertThat(signed.get()).as("never paid twice").isEqualTo(1);
      BigDecimal counted =
          expected == PaymentState.RELEASED ? BigDecimal.ZERO : new BigDecimal("0.25");
      assertThat(wallet.budget("bot").lines().get(0).unknown()).isEqualByComparingTo(counted);
    }
  }
}
