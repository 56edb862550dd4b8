package dev.mpp.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import dev.mpp.client.wire.AcceptPayment.Range;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AcceptPaymentTest {

  @Test
  void issueVectorNormalizes() {
    AcceptPayment accept = AcceptPayment.parse(" stripe/charge ; q = 0.25 , */session ; q=0 ");

    assertThat(accept.toString()).isEqualTo("stripe/charge;q=0.25, */session;q=0");
    assertThat(accept.ranges())
        .containsExactly(new Range("stripe", "charge", 250), new Range("*", "session", 0));
  }

  @ParameterizedTest
  @CsvSource({
    "q=1, 1000, ''",
    "q=1., 1000, ''",
    "q=1.000, 1000, ''",
    "q=0, 0, ;q=0",
    "q=0., 0, ;q=0",
    "q=0.000, 0, ;q=0",
    "q=0.5, 500, ;q=0.5",
    "q=0.50, 500, ;q=0.5",
    "q=0.05, 50, ;q=0.05",
    "q=0.005, 5, ;q=0.005",
    "q=0.999, 999, ;q=0.999",
    "Q=0.1, 100, ;q=0.1"
  })
  void parsesAndWritesQValues(String param, int weight, String written) {
    AcceptPayment accept = AcceptPayment.parse("tempo/charge;" + param);

    assertThat(accept.ranges()).containsExactly(new Range("tempo", "charge", weight));
    assertThat(accept.toString()).isEqualTo("tempo/charge" + written);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tempo/charge;q=1.5",
        "tempo/charge;q=2",
        "tempo/charge;q=1.001",
        "tempo/charge;q=0.0001",
        "tempo/charge;q=-0.5",
        "tempo/charge;q=.5",
        "tempo/charge;q=",
        "tempo/charge;q",
        "tempo/charge;q=0.5;q=0.5",
        "tempo/charge;level=1",
        "tempo/charge;",
        "tempo/charge;q=0,5",
        "tempo",
        "/charge",
        "tempo/",
        "Tempo/charge",
        "tempo/char ge",
        "tempo / charge",
        "tempo/charge/x",
        "te*/charge",
        "tempo/charge extra",
        ";q=1"
      })
  void malformedValuesAreTypedErrors(String value) {
    assertThatThrownBy(() -> AcceptPayment.parse(value))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_ACCEPT_PAYMENT));
  }

  @Test
  void emptyListElementsAreAllowed() {
    assertThat(AcceptPayment.parse("").ranges()).isEmpty();
    assertThat(AcceptPayment.parse(" , tempo/charge ,, ").toString()).isEqualTo("tempo/charge");
  }

  @Test
  void rangesValidateTheirComponents() {
    assertThatThrownBy(() -> new Range("TEMPO", "charge", 1000))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> new Range("tempo", "charge", 1001))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> new Range("tempo", "charge", -1))
        .isInstanceOf(ProtocolException.class);
    assertThat(Range.of("*", "*").weight()).isEqualTo(1000);
  }

  @Test
  void buildsFromRanges() {
    AcceptPayment accept =
        AcceptPayment.of(List.of(Range.of("tempo", "charge"), new Range("stripe", "*", 300)));

    assertThat(accept.toString()).isEqualTo("tempo/charge, stripe/*;q=0.3");
    assertThat(AcceptPayment.parse(accept.toString())).isEqualTo(accept);
  }

  @Test
  void wildcardsMatch() {
    assertThat(Range.of("*", "*").matches("tempo", "charge")).isTrue();
    assertThat(Range.of("tempo", "*").matches("tempo", "session")).isTrue();
    assertThat(Range.of("tempo", "*").matches("stripe", "charge")).isFalse();
    assertThat(Range.of("*", "charge").matches("stripe", "charge")).isTrue();
    assertThat(Range.of("*", "charge").matches("stripe", "session")).isFalse();
  }

  @Test
  void weightComesFromTheMostSpecificRangeThenTheHigherWeightThenTheEarlierRange() {
    AcceptPayment accept =
        AcceptPayment.parse("*/*;q=0.1, tempo/*;q=0.5, */charge;q=0.8, stripe/charge;q=0");

    assertThat(accept.weightOf("stripe", "charge")).isZero();
    assertThat(accept.weightOf("tempo", "charge")).isEqualTo(800);
    assertThat(accept.weightOf("tempo", "session")).isEqualTo(500);
    assertThat(accept.weightOf("lightning", "session")).isEqualTo(100);
    assertThat(AcceptPayment.parse("tempo/charge").weightOf("stripe", "charge")).isZero();
  }

  @Test
  void writingIsIndependentOfTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      for (String tag : List.of("th-TH-u-nu-thai", "ar-EG", "hi-IN-u-nu-deva", "de-DE")) {
        Locale.setDefault(Locale.forLanguageTag(tag));
        assertThat(new Range("tempo", "charge", 250).toString())
            .as(tag)
            .isEqualTo("tempo/charge;q=0.25");
      }
    } finally {
      Locale.setDefault(saved);
    }
  }
}
