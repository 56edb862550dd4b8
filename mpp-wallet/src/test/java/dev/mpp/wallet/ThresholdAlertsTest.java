package dev.mpp.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.Reserved;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link ThresholdAlerts} on real reservations in an in-memory ledger, one step at a time. */
class ThresholdAlertsTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String ASSET = Asset.keyOf("test", "usd", null);

  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  private int ids;

  /** Reserves {@code cents} (2-decimal base units, one micro-dollar per 1e-6 usd) for payer. */
  private Reserved reserve(PayingAgent payer, long cents) {
    PaymentRecord draft =
        new PaymentRecord(
            "p" + ++ids,
            payer.agent(),
            payer.fleet(),
            NOW,
            NOW,
            "https://api.example.com/x",
            "https://api.example.com",
            "api.example.com",
            "test",
            "charge",
            "c" + ids,
            BigInteger.valueOf(cents),
            "usd",
            null,
            2,
            cents * 10_000,
            0,
            PaymentState.HELD,
            null,
            null,
            "test",
            null);
    return ledger.reserve(draft, payer.limits(ASSET, NOW));
  }

  private static List<String> fractions(List<ThresholdCrossing> crossings) {
    return crossings.stream().map(c -> c.rule() + "@" + c.fraction().toPlainString()).toList();
  }

  @Test
  void eachStepReportsExactlyTheFractionsItCrossed() {
    PayingAgent bot =
        new PayingAgent(
            "bot",
            null,
            Policy.builder().cap(Window.DAY, "1.00").alertAtPercent(50, 80, 100).build(),
            null);
    List<List<String>> steps = new ArrayList<>();
    for (long cents : new long[] {49, 1, 10, 40}) {
      steps.add(fractions(ThresholdAlerts.crossings(reserve(bot, cents), bot)));
    }

    assertThat(steps)
        .containsExactly(
            List.of(),
            List.of("agent:bot/cap/day@0.5"),
            List.of(),
            List.of("agent:bot/cap/day@0.8", "agent:bot/cap/day@1"));
  }

  @Test
  void everyMeasureOfEveryScopeIsCheckedInOneLoop() {
    Policy agent =
        Policy.builder()
            .maxPayments(Window.HOUR, 2)
            .assetCap(Window.DAY, ASSET, BigInteger.valueOf(200))
            .alertAtPercent(50)
            .build();
    Policy fleet = Policy.builder().cap(Window.DAY, "10.00").alertAtPercent(10).build();
    PayingAgent bot = new PayingAgent("bot", "acme", agent, fleet);

    List<ThresholdCrossing> crossings = ThresholdAlerts.crossings(reserve(bot, 100), bot);

    assertThat(crossings)
        .extracting(
            ThresholdCrossing::rule,
            c -> c.fraction().toPlainString(),
            c -> c.used().toPlainString(),
            c -> c.cap().toPlainString(),
            ThresholdCrossing::unit)
        .containsExactlyInAnyOrder(
            tuple("agent:bot/count/hour", "0.5", "1", "2", "payments"),
            tuple("agent:bot/units/day/" + ASSET, "0.5", "1.00", "2.00", ASSET),
            tuple("fleet:acme/cap/day", "0.1", "1.000000", "10.000000", "usd"));
    assertThat(crossings).allSatisfy(c -> assertThat(c.record().challengeId()).isEqualTo("c1"));
  }

  @Test
  void aPolicyWithoutAlertFractionsIsSilent() {
    Policy agent = Policy.builder().cap(Window.DAY, "1.00").build();
    Policy fleet = Policy.builder().cap(Window.DAY, "1.00").alertAtPercent(50).build();
    PayingAgent bot = new PayingAgent("bot", "acme", agent, fleet);

    assertThat(fractions(ThresholdAlerts.crossings(reserve(bot, 60), bot)))
        .containsExactly("fleet:acme/cap/day@0.5");
  }

  @Test
  void listenersHearEachCrossingAndOneFailingListenerDoesNotSilenceTheOthers() {
    PayingAgent bot =
        new PayingAgent(
            "bot", null, Policy.builder().cap(Window.DAY, "1.00").alertAtPercent(50).build(), null);
    List<ThresholdCrossing> heard = new CopyOnWriteArrayList<>();
    ThresholdAlerts alerts =
        new ThresholdAlerts(
            List.of(
                c -> {
                  throw new IllegalStateException("pager down");
                },
                heard::add));

    alerts.reserved(reserve(bot, 70), bot);

    assertThat(fractions(heard)).containsExactly("agent:bot/cap/day@0.5");
  }
}
