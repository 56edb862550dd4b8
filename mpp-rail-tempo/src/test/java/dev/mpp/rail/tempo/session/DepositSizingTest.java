package dev.mpp.rail.tempo.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Money;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.rail.Funding;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** How large a deposit or top-up may be, from the config, the server and the wallet's answer. */
class DepositSizingTest {

  static final TempoSessionConfig CONFIG =
      TempoSessionConfig.builder(1337)
          .asset(EvmAddress.parse(TempoSessionRailTest.TOKEN))
          .trustEscrow(SessionProtocol.V1, EvmAddress.parse(TempoSessionRailTest.ESCROW))
          .maxDeposit(BigInteger.valueOf(50_000))
          .build();

  final DepositSizing sizing = new DepositSizing(CONFIG);

  /** The wallet side: answers {@link Funding#lockable} with a fixed room and records the asks. */
  static final class StubFunding implements Funding {
    final Optional<BigInteger> room;
    final List<BigInteger> lockedAsked = new ArrayList<>();

    StubFunding(Optional<BigInteger> room) {
      this.room = room;
    }

    @Override
    public Optional<BigInteger> lockable(Asset asset, BigInteger locked) {
      lockedAsked.add(locked);
      return room;
    }

    @Override
    public String agent() {
      return "bot";
    }

    @Override
    public String fleet() {
      return null;
    }

    @Override
    public String rationale() {
      return "test";
    }

    @Override
    public LedgerStore ledger() {
      throw new UnsupportedOperationException("sizing reads no ledger");
    }

    @Override
    public Instant now() {
      return TempoSessionRailTest.NOW;
    }

    @Override
    public List<Limit> limits(Asset asset, Instant at) {
      throw new UnsupportedOperationException("sizing does no cap arithmetic");
    }

    @Override
    public OptionalLong maxLockableUsdMicros() {
      throw new UnsupportedOperationException("sizing does no cap arithmetic");
    }

    @Override
    public long usdMicros(Money amount) {
      throw new UnsupportedOperationException("sizing prices nothing");
    }

    @Override
    public void check(PaymentContext context, Challenge challenge, Money amount) {}
  }

  static SessionRequest request(String suggestedDeposit) {
    return SessionRequest.parse(TempoSessionRailTest.challenge("c1", suggestedDeposit), CONFIG);
  }

  static ChannelState channel(long deposit, long highestSigned) {
    ChannelKey key =
        new ChannelKey(
            "bot",
            "https://api.example.test:443",
            "api",
            1337,
            EvmAddress.parse(TempoSessionRailTest.ESCROW),
            EvmAddress.parse(TempoSessionRailTest.PAYEE),
            EvmAddress.parse(TempoSessionRailTest.TOKEN),
            SessionProtocol.V1);
    Bytes32 salt = Bytes32.random(new java.security.SecureRandom());
    EvmAddress payer = EvmAddress.parse(TempoSessionRailTest.PAYEE);
    ChannelDescriptor descriptor =
        ChannelDescriptor.v1(payer, key.payee(), key.token(), salt, payer);
    return new ChannelState(
        key,
        descriptor.channelId(key.escrow(), key.chainId()),
        descriptor,
        BigInteger.valueOf(deposit),
        BigInteger.valueOf(highestSigned),
        BigInteger.ZERO,
        BigInteger.ZERO,
        List.of("hold-1"),
        ChannelStatus.OPEN,
        TempoSessionRailTest.URL.toString(),
        null,
        null,
        null,
        TempoSessionRailTest.NOW,
        TempoSessionRailTest.NOW,
        0);
  }

  @Test
  void aNewDepositIsTheSmallestOfConfigSuggestionAndWhatTheWalletAllows() {
    assertThat(sizing.deposit(request(null), new StubFunding(Optional.empty())))
        .as("nothing but the config bounds it")
        .isEqualTo(BigInteger.valueOf(50_000));
    assertThat(sizing.deposit(request("20000"), new StubFunding(Optional.empty())))
        .isEqualTo(BigInteger.valueOf(20_000));
    StubFunding tight = new StubFunding(Optional.of(BigInteger.valueOf(7_000)));
    assertThat(sizing.deposit(request("20000"), tight)).isEqualTo(BigInteger.valueOf(7_000));
    assertThat(tight.lockedAsked)
        .as("a new channel has nothing locked")
        .containsExactly(BigInteger.ZERO);
  }

  @Test
  void aDepositBelowOnePriceIsDenied() {
    StubFunding broke = new StubFunding(Optional.of(BigInteger.valueOf(999)));

    assertThatThrownBy(() -> sizing.deposit(request(null), broke))
        .isInstanceOf(PaymentDeniedException.class)
        .hasMessageContaining("deposit of 999, less than the price of one request (1000)");
  }

  @Test
  void aTopUpCountsTheUnspentDepositAgainstTheBounds() {
    ChannelState channel = channel(10_000, 9_500); // 500 unspent
    StubFunding funding = new StubFunding(Optional.empty());

    assertThat(sizing.topUp(request(null), funding, channel, BigInteger.valueOf(1_000)))
        .as("maxDeposit less the unspent 500")
        .isEqualTo(BigInteger.valueOf(49_500));
    assertThat(funding.lockedAsked).containsExactly(BigInteger.valueOf(500));
  }

  @Test
  void aTopUpSmallerThanTheShortfallIsDenied() {
    ChannelState channel = channel(10_000, 9_500);
    StubFunding funding = new StubFunding(Optional.of(BigInteger.valueOf(400)));

    assertThatThrownBy(
            () -> sizing.topUp(request(null), funding, channel, BigInteger.valueOf(1_000)))
        .isInstanceOf(PaymentDeniedException.class)
        .hasMessageContaining("a top-up of 400, 500 is needed");
  }
}
