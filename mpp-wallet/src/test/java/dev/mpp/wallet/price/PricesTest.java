package dev.mpp.wallet.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.wallet.Asset;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PricesTest {
  private final Prices defaults = Prices.defaults();

  @Test
  void isoUsdIsOneDollarPerWholeUnit() {
    assertThat(defaults.usdPerUnit(new Asset("stripe", "USD", null, 2))).contains(BigDecimal.ONE);
  }

  @Test
  void tempoStablecoinsAreOneDollarWithSixDecimalsOnAnyChain() {
    for (String token :
        new String[] {Prices.PATH_USD, Prices.ALPHA_USD, Prices.BETA_USD, Prices.THETA_USD}) {
      assertThat(defaults.usdPerUnit(new Asset("tempo", token, 4217L, 6))).contains(BigDecimal.ONE);
      assertThat(
              defaults.usdPerUnit(
                  new Asset("tempo", token.toUpperCase().replace("0X", "0x"), 42431L, 6)))
          .contains(BigDecimal.ONE);
    }
  }

  @Test
  void aStablecoinWithUnexpectedDecimalsIsUnpricedRatherThanMispriced() {
    assertThat(defaults.usdPerUnit(new Asset("tempo", Prices.PATH_USD, 4217L, 18))).isEmpty();
  }

  @Test
  void everythingElseIsUnpricedUntilConfigured() {
    assertThat(defaults.usdPerUnit(new Asset("lightning", "sat", null, 0))).isEmpty();
    assertThat(defaults.usdPerUnit(new Asset("evm", "0xa0b8", 1L, 6))).isEmpty();
    assertThat(defaults.usdPerUnit(new Asset("stripe", "eur", null, 2))).isEmpty();
    assertThat(
            defaults.usdPerUnit(
                new Asset("tempo", "0x20c0000000000000000000000000000000000004", 4217L, 6)))
        .isEmpty();
  }

  @Test
  void configuredRatesAndStablecoins() {
    Prices prices =
        Prices.builder()
            .bitcoin(new BigDecimal("60000"))
            .stablecoin("0xA0B8", 6)
            .rate("eur", "1.08")
            .rate("stripe:eur", "1.10")
            .build();

    assertThat(prices.usdPerUnit(new Asset("lightning", "sat", null, 0)))
        .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.0006"));
    assertThat(prices.usdPerUnit(new Asset("evm", "0xa0b8", 1L, 6))).contains(BigDecimal.ONE);
    assertThat(prices.usdPerUnit(new Asset("card", "eur", null, 2)))
        .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("1.08"));
    assertThat(prices.usdPerUnit(new Asset("stripe", "eur", null, 2)))
        .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("1.10"));
    assertThat(prices.usdPerUnit(new Asset("tempo", Prices.PATH_USD, 4217L, 6)))
        .contains(BigDecimal.ONE);
  }

  @Test
  void ratesMustBePositiveNumbers() {
    assertThatThrownBy(() -> Prices.builder().rate("sat", "0"))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> Prices.builder().rate("sat", "-1"))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> Prices.builder().rate("sat", "cheap"))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> Prices.builder().rate(" ", "1"))
        .isInstanceOf(ConfigurationException.class);
  }
}
