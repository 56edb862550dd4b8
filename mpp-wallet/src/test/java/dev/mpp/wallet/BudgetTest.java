package dev.mpp.wallet;

import static dev.mpp.wallet.testing.Offers.PATH_USD;
import static dev.mpp.wallet.testing.Offers.context;
import static dev.mpp.wallet.testing.Offers.offer;
import static dev.mpp.wallet.testing.Offers.onChain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.MutableClock;
import dev.mpp.wallet.testing.Offers;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetTest {
  private final MutableClock clock = MutableClock.at("2026-05-01T00:00:00Z");
  private final Instant expiry = Instant.parse("2026-12-31T00:00:00Z");
  private final Wallet wallet =
      Wallet.builder()
          .ledger(new InMemoryLedgerStore())
          .clock(clock)
          .rail(Offers.usdRail(), Offers.tempoRail())
          .fleet("acme", Policy.builder().cap(Window.MONTH, "100.00").expiresAt(expiry).build())
          .agent(
              "bot",
              "acme",
              Policy.builder()
                  .cap(Window.DAY, "5.00")
                  .maxPayments(Window.HOUR, 10)
                  .assetCap(Window.DAY, "tempo:4217:" + PATH_USD, BigInteger.valueOf(3_000_000))
                  .build())
          .build();

  private static void assertLine(
      Budget.Line line,
      String rule,
      String limit,
      String paid,
      String held,
      String unknown,
      String remaining) {
    assertThat(line.rule()).isEqualTo(rule);
    assertThat(line.limit()).as("limit").isEqualByComparingTo(limit);
    assertThat(line.paid()).as("paid").isEqualByComparingTo(paid);
    assertThat(line.held()).as("held").isEqualByComparingTo(held);
    assertThat(line.unknown()).as("unknown").isEqualByComparingTo(unknown);
    assertThat(line.remaining()).as("remaining").isEqualByComparingTo(remaining);
  }

  @Test
  void showsPaidHeldUnknownAndRemainingForEveryCap() {
    wallet
        .authorize(context("bot"), List.of(offer("a", "test", "100", "usd")))
        .settle(200, null, null);
    wallet.authorize(context("bot"), List.of(onChain("b", "tempo", "2000000", PATH_USD)));
    wallet
        .authorize(context("bot"), List.of(offer("c", "test", "50", "usd")))
        .markUnknown("timeout");
    wallet.authorize(context("bot"), List.of(offer("d", "test", "25", "usd"))).release("rejected");
    clock.advance(Duration.ofMinutes(1));

    Budget budget = wallet.budget("bot");

    assertThat(budget.fleet()).isEqualTo("acme");
    assertThat(budget.at()).isEqualTo(clock.instant());
    assertThat(budget.expiry()).contains(expiry);
    List<Budget.Line> lines = budget.lines();
    assertThat(lines).hasSize(4);
    assertLine(lines.get(0), "agent:bot/cap/day", "5", "1", "2", "0.5", "1.5");
    assertLine(lines.get(1), "agent:bot/count/hour", "10", "1", "1", "1", "7");
    assertThat(lines.get(1).unit()).isEqualTo("payments");
    assertLine(
        lines.get(2),
        "agent:bot/units/day/tempo:4217:" + PATH_USD,
        "3000000",
        "0",
        "2000000",
        "0",
        "1000000");
    assertLine(lines.get(3), "fleet:acme/cap/month", "100", "1", "2", "0.5", "96.5");
    assertThat(lines.get(3).since()).isEqualTo(clock.instant().minus(Duration.ofDays(30)));
  }

  @Test
  void unknownAgentsHaveNoBudget() {
    assertThatThrownBy(() -> wallet.budget("nobody")).isInstanceOf(ConfigurationException.class);
  }
}
