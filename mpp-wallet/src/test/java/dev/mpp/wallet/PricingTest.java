package dev.mpp.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.wallet.price.Prices;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PricingTest {
  private final Pricing pricing =
      new Pricing(Prices.builder().rate("sat", "0.0006").stablecoin("0xusdm", 18).build());

  private Pricing.Price price(String units, String currency, int decimals) {
    return pricing.price(
        new Money(new BigInteger(units), new Asset("m", currency, null, decimals)));
  }

  @Test
  void convertsExactlyAndRoundsUpToTheNextMicroDollar() {
    assertThat(price("1", "usd", 2).usdMicros()).isEqualTo(10_000);
    assertThat(price("1000", "sat", 0).usdMicros()).isEqualTo(600_000);
    assertThat(price("1", "sat", 0).usdMicros()).isEqualTo(600);
    assertThat(price("1", "0xusdm", 18).usdMicros()).isEqualTo(1); // 1e-18 usd counts as 1 micro
    assertThat(price("1000000000000", "0xusdm", 18).usdMicros()).isEqualTo(1);
    assertThat(price("1000000000001", "0xusdm", 18).usdMicros()).isEqualTo(2);
    assertThat(price("0", "usd", 2).usdMicros()).isZero();
  }

  @Test
  void amountsBeyondTheRangeAreInvalidAndUnknownAssetsUnpriced() {
    assertThat(price("100000000000001", "usd", 2).invalid()).contains("exceeds the pricing range");
    assertThat(price("100000000000000", "usd", 2).known()).isTrue();
    assertThat(price("1", "eur", 2).unpriced()).isEqualTo("no usd price for m:eur");
  }

  @Test
  void aBrokenPriceSourceMeansUnpriced() {
    Pricing broken =
        new Pricing(
            asset -> {
              throw new IllegalStateException("feed down");
            });
    Pricing negative = new Pricing(asset -> Optional.of(BigDecimal.ONE.negate()));
    Money money = new Money(BigInteger.ONE, new Asset("m", "usd", null, 2));

    assertThat(broken.price(money).unpriced()).contains("price source failed");
    assertThat(negative.price(money).unpriced()).contains("non-positive rate");
  }
}
