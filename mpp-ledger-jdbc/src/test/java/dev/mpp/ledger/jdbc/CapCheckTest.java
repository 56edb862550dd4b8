package dev.mpp.ledger.jdbc;

import static dev.mpp.wallet.testing.TestRecords.T0;
import static dev.mpp.wallet.testing.TestRecords.held;
import static dev.mpp.wallet.testing.TestRecords.heldAsset;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.PaymentRecord;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Usage;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch of reservations decides as the same reservations one by one would: each sees the
 * committed spend plus the reservations accepted before it, and a denied one counts for nobody.
 */
class CapCheckTest {

  private static final Limit.Scope BOT = Limit.Scope.agent("bot");
  private static final Limit CAP =
      new Limit("agent:bot/total", BOT, null, 1_000L, null, null, null);

  private static CapCheck.Reservation reservation(PaymentRecord record, Limit... limits) {
    return new CapCheck.Reservation(record, 0, Asset.keyOf(record), List.of(limits));
  }

  @Test
  void laterReservationsSeeTheAcceptedOnesBeforeThem() {
    List<CapCheck.Reservation> batch =
        List.of(
            reservation(held("a", "bot", null, 600, T0), CAP),
            reservation(held("b", "bot", null, 500, T0), CAP), // 100 + 600 + 500 > 1000
            reservation(held("c", "bot", null, 300, T0), CAP)); // the denied b does not count
    List<WindowSums.Window> windows = CapCheck.windowsOf(batch);

    List<CapCheck.Decision> decisions =
        CapCheck.decide(batch, windows, List.of(new Usage(100, 1, BigInteger.ZERO)));

    assertThat(decisions.get(0).reserved().usages().get(0).before())
        .isEqualTo(new Usage(100, 1, BigInteger.ZERO));
    assertThat(decisions.get(1).denial()).isNotNull();
    assertThat(decisions.get(1).denial().rule()).isEqualTo("agent:bot/total");
    assertThat(decisions.get(2).denial()).isNull();
    assertThat(decisions.get(2).reserved().usages().get(0).before())
        .isEqualTo(new Usage(700, 2, BigInteger.ZERO));
  }

  @Test
  void earlierReservationsCountOnlyInWindowsTheyFallIn() {
    PaymentRecord stripe =
        heldAsset("s", "bot", null, "stripe", "usd", null, 2, BigInteger.TEN, 100_000, T0);
    PaymentRecord token = held("t", "bot", null, 40, T0);
    String tokenKey = Asset.keyOf(token);
    Limit units = new Limit("agent:bot/token", BOT, null, null, null, tokenKey, BigInteger.TEN);
    Limit recent =
        new Limit("agent:bot/recent", BOT, T0.plusSeconds(1), 1_000_000L, null, null, null);
    Limit otherAgent =
        new Limit("agent:x/total", Limit.Scope.agent("x"), null, 1_000_000L, null, null, null);
    List<CapCheck.Reservation> batch =
        List.of(
            reservation(stripe),
            reservation(held("u", "bot", null, 10, T0), units, recent, otherAgent));
    List<WindowSums.Window> windows = CapCheck.windowsOf(batch);
    List<Usage> committed = List.of(Usage.NONE, Usage.NONE, Usage.NONE);

    List<CapCheck.Decision> decisions = CapCheck.decide(batch, windows, committed);

    // another asset, a window starting after it, another agent: the stripe payment counts nowhere
    assertThat(decisions.get(1).denial()).isNull();
    assertThat(decisions.get(1).reserved().usages())
        .extracting(usage -> usage.before())
        .containsOnly(Usage.NONE);
  }

  @Test
  void aLimitSharedByReservationsIsSummedOnce() {
    List<CapCheck.Reservation> batch =
        List.of(
            reservation(held("a", "bot", null, 1, T0), CAP),
            reservation(held("b", "bot", null, 1, T0), CAP));

    assertThat(CapCheck.windowsOf(batch)).containsExactly(new WindowSums.Window(BOT, null, null));
  }
}
