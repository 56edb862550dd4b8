package dev.mpp.wallet;

import static dev.mpp.wallet.testing.Offers.context;
import static dev.mpp.wallet.testing.Offers.offer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.PaymentAuthorization;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.Offers;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThresholdTest {
  private final List<ThresholdCrossing> crossings = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();

  private Wallet wallet(Policy agent, Policy fleet, SpendListener... extra) {
    Wallet.Builder builder =
        Wallet.builder()
            .ledger(new InMemoryLedgerStore())
            .rail(Offers.usdRail())
            .listener(crossings::add);
    for (SpendListener listener : extra) {
      builder.listener(listener);
    }
    if (fleet == null) {
      return builder.agent("bot", agent).build();
    }
    return builder.fleet("acme", fleet).agent("bot", "acme", agent).build();
  }

  private PaymentAuthorization pay(Wallet wallet, String cents) {
    return wallet.authorize(
        context("bot"), List.of(offer("c" + ids.incrementAndGet(), "test", cents, "usd")));
  }

  private List<String> fractions() {
    return crossings.stream().map(c -> c.fraction().toPlainString()).toList();
  }

  @Test
  void eachFractionFiresOnceWhenCrossed() {
    Wallet wallet =
        wallet(Policy.builder().cap(Window.DAY, "1.00").alertAtPercent(50, 80, 100).build(), null);

    pay(wallet, "49");
    assertThat(crossings).isEmpty();
    pay(wallet, "1"); // exactly 50%: "at or above" crosses
    assertThat(fractions()).containsExactly("0.5");
    pay(wallet, "10");
    assertThat(fractions()).containsExactly("0.5");
    pay(wallet, "40"); // 60 -> 100: crosses 80% and 100% in one step
    assertThat(fractions()).containsExactly("0.5", "0.8", "1");

    ThresholdCrossing last = crossings.get(2);
    assertThat(last.rule()).isEqualTo("agent:bot/cap/day");
    assertThat(last.used()).isEqualByComparingTo("1.00");
    assertThat(last.cap()).isEqualByComparingTo("1.00");
    assertThat(last.unit()).isEqualTo("usd");
    assertThat(last.record().challengeId()).isEqualTo("c4");
  }

  @Test
  void releasedSpendCanCrossAgain() {
    Wallet wallet =
        wallet(Policy.builder().cap(Window.DAY, "1.00").alertAtPercent(50).build(), null);
    pay(wallet, "60").release("rejected");
    pay(wallet, "60");
    assertThat(fractions()).containsExactly("0.5", "0.5");
  }

  @Test
  void fleetAndCountCapsFireWithTheirOwnFractions() {
    Wallet wallet =
        wallet(
            Policy.builder().maxPayments(Window.HOUR, 4).alertAtPercent(50).build(),
            Policy.builder().cap(Window.DAY, "10.00").alertAtPercent(10).build());

    pay(wallet, "100");
    pay(wallet, "1");

    assertThat(crossings)
        .extracting(
            ThresholdCrossing::rule, c -> c.fraction().toPlainString(), ThresholdCrossing::unit)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("fleet:acme/cap/day", "0.1", "usd"),
            org.assertj.core.groups.Tuple.tuple("agent:bot/count/hour", "0.5", "payments"));
  }

  @Test
  void aFailingListenerDoesNotStopThePayment() {
    Wallet wallet =
        wallet(
            Policy.builder().cap(Window.DAY, "1.00").alertAtPercent(50).build(),
            null,
            c -> {
              throw new IllegalStateException("pager down");
            });

    assertThat(pay(wallet, "90").record()).isNotNull();
    assertThat(crossings).hasSize(1);
  }
}
