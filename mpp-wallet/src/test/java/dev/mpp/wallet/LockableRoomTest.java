package dev.mpp.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.testing.TestRecords;
import java.math.BigInteger;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The wallet's answer to {@code Funding.lockable}: what a session may still lock, from the
 * policies' {@code maxLockable} and every cap's room in the ledger.
 */
class LockableRoomTest {

  // The token TestRecords pays in, priced at $2 per whole token: 1 micro-dollar buys 0.5 units.
  static final Asset TOKEN =
      new Asset("tempo", "0x20C0000000000000000000000000000000000001", 4217L, 6);
  static final Limit.Scope BOT = Limit.Scope.agent("bot");

  final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  final LockableRoom room =
      new LockableRoom(ledger, money -> money.units().multiply(BigInteger.TWO).longValueExact());

  static Limit usd(long maxUsdMicros) {
    return new Limit("day", BOT, null, maxUsdMicros, null, null, null);
  }

  @Test
  void noBoundMeansNoAnswer() {
    assertThat(room.of(TOKEN, List.of(), OptionalLong.empty(), BigInteger.TEN)).isEmpty();
  }

  @Test
  void maxLockableCountsWhatIsAlreadyLocked() {
    assertThat(room.of(TOKEN, List.of(), OptionalLong.of(10_000), BigInteger.valueOf(1_000)))
        .as("$0.01 buys 5,000 units, 1,000 of them locked already")
        .contains(BigInteger.valueOf(4_000));
    assertThat(room.of(TOKEN, List.of(), OptionalLong.of(10_000), BigInteger.valueOf(9_000)))
        .as("never negative")
        .contains(BigInteger.ZERO);
  }

  @Test
  void aUsdCapLeavesWhatItsUsageHasNotTaken() {
    ledger.reserve(TestRecords.held("r1", "bot", null, 3_000, TestRecords.T0), List.of());

    assertThat(room.of(TOKEN, List.of(usd(10_000)), OptionalLong.empty(), BigInteger.ZERO))
        .as("$0.007 left buys 3,500 units")
        .contains(BigInteger.valueOf(3_500));
  }

  @Test
  void theSmallestBoundWinsAndUnitAndCountCapsApply() {
    ledger.reserve(TestRecords.held("r1", "bot", null, 3_000, TestRecords.T0), List.of());
    Limit units = new Limit("units", BOT, null, null, null, TOKEN.key(), BigInteger.valueOf(5_000));
    Limit otherAsset = new Limit("other", BOT, null, null, null, "stripe:usd", BigInteger.ONE);

    assertThat(
            room.of(
                TOKEN,
                List.of(usd(1_000_000), units, otherAsset),
                OptionalLong.of(1_000_000),
                BigInteger.ZERO))
        .as("5,000 units capped, 3,000 used; the other asset's cap does not apply")
        .contains(BigInteger.valueOf(2_000));

    Limit count = new Limit("count", BOT, null, null, 1L, null, null);
    assertThat(
            room.of(TOKEN, List.of(usd(1_000_000), count), OptionalLong.empty(), BigInteger.ZERO))
        .as("the count cap is used up")
        .contains(BigInteger.ZERO);
  }
}
