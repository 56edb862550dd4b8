package dev.mpp.wallet;

import static dev.mpp.wallet.testing.Offers.context;
import static dev.mpp.wallet.testing.Offers.offer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.PaymentDeniedException;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.MutableClock;
import dev.mpp.wallet.testing.Offers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rolling windows: a payment counts from its reservation until exactly one window later. */
class WindowTest {
  private final AtomicInteger ids = new AtomicInteger();

  @ParameterizedTest
  @EnumSource(
      value = Window.class,
      names = {"HOUR", "DAY", "WEEK", "MONTH"})
  void spendFreesUpExactlyOneWindowAfterItWasReserved(Window window) {
    MutableClock clock = MutableClock.at("2026-01-31T23:59:59.500Z");
    Wallet wallet = wallet(clock, Policy.builder().cap(window, "1.00").build());
    pay(wallet, "100");
    Duration length = window.length().orElseThrow();

    clock.advance(length.minusMillis(1));
    assertDenied(wallet, "agent:bot/cap/" + window.label());
    clock.advance(Duration.ofMillis(1)); // exactly one window later: the start is inclusive
    assertDenied(wallet, "agent:bot/cap/" + window.label());
    clock.advance(Duration.ofNanos(1));
    pay(wallet, "100");
  }

  @ParameterizedTest
  @EnumSource(
      value = Window.class,
      names = {"HOUR", "DAY"})
  void spendSpreadOverTheWindowFreesUpGradually(Window window) {
    MutableClock clock = MutableClock.at("2026-06-01T00:00:00Z");
    Wallet wallet = wallet(clock, Policy.builder().cap(window, "1.00").build());
    Duration half = window.length().orElseThrow().dividedBy(2);
    pay(wallet, "60");
    clock.advance(half);
    pay(wallet, "40");
    assertDenied(wallet, "agent:bot/cap/" + window.label());

    clock.advance(half.plusNanos(1)); // the first payment left the window, the second did not
    pay(wallet, "60");
    assertDenied(wallet, "agent:bot/cap/" + window.label());
  }

  @ParameterizedTest
  @EnumSource(
      value = Window.class,
      names = {"ALL_TIME"})
  void allTimeNeverFreesUp(Window window) {
    MutableClock clock = MutableClock.at("2026-06-01T00:00:00Z");
    Wallet wallet = wallet(clock, Policy.builder().cap(window, "1.00").build());
    pay(wallet, "100");
    clock.advance(Duration.ofDays(3650));
    assertDenied(wallet, "agent:bot/cap/all-time");
  }

  private static Wallet wallet(MutableClock clock, Policy policy) {
    return Wallet.builder()
        .ledger(new InMemoryLedgerStore())
        .clock(clock)
        .rail(Offers.usdRail())
        .agent("bot", policy)
        .build();
  }

  private void pay(Wallet wallet, String cents) {
    wallet
        .authorize(
            context("bot"), List.of(offer("c" + ids.incrementAndGet(), "test", cents, "usd")))
        .settle(200, null, null);
  }

  private void assertDenied(Wallet wallet, String rule) {
    assertThatThrownBy(
            () ->
                wallet.authorize(
                    context("bot"),
                    List.of(offer("c" + ids.incrementAndGet(), "test", "1", "usd"))))
        .isInstanceOfSatisfying(
            PaymentDeniedException.class, e -> assertThat(e.rule()).isEqualTo(rule));
  }
}
