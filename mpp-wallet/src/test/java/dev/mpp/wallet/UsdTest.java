package dev.mpp.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ConfigurationException;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsdTest {

  @ParameterizedTest
  @CsvSource({
    "5, 5000000",
    "5.00, 5000000",
    "$5.00, 5000000",
    "0.05usd, 50000",
    "0.05 USD, 50000",
    "$ 0.000001, 1",
    "0, 0",
    "1000000000000, 1000000000000000000"
  })
  void parsesPeopleWrittenAmountsExactly(String text, long micros) {
    assertThat(Usd.parse(text)).isEqualTo(micros);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-1",
        "1.0000001",
        "1e3",
        "1,000",
        "0x10",
        "5 eur",
        "5 usdc",
        ".5",
        "1000000000000.01",
        ""
      })
  void refusesAnythingElse(String text) {
    assertThatThrownBy(() -> Usd.parse(text)).isInstanceOf(ConfigurationException.class);
  }

  @Test
  void formatsWithAtLeastTwoDecimals() {
    assertThat(Usd.format(5_000_000)).isEqualTo("5.00");
    assertThat(Usd.format(10_100)).isEqualTo("0.0101");
    assertThat(Usd.format(1)).isEqualTo("0.000001");
    assertThat(Usd.format(0)).isEqualTo("0.00");
  }

  @Test
  void formatAndParseRoundTrip() {
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      long micros = Math.floorMod(random.nextLong(), Usd.MAX_MICROS + 1);
      assertThat(Usd.parse(Usd.format(micros))).isEqualTo(micros);
      assertThat(Usd.parse(Usd.toDecimal(micros))).isEqualTo(micros);
    }
    assertThat(Usd.toDecimal(1_500_000)).isEqualByComparingTo(new BigDecimal("1.5"));
  }
}
