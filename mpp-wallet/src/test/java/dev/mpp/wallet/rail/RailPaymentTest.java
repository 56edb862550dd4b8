package dev.mpp.wallet.rail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RailPaymentTest {
  private static final ObjectNode PAYLOAD =
      JsonNodeFactory.instance.objectNode().put("signature", "0xsecret");

  @Test
  void aLabelIsKeptAndShownButThePayloadIsNot() {
    RailPayment payment = new RailPayment(PAYLOAD, null, "ref-1").withLabel("visa ••4242");

    assertThat(payment.displayLabel()).contains("visa ••4242");
    assertThat(payment.preSettlementReference()).contains("ref-1");
    assertThat(payment.payload()).isEqualTo(PAYLOAD);
    assertThat(payment.toString()).contains("visa ••4242").doesNotContain("0xsecret");
    assertThat(new RailPayment(PAYLOAD, null, null).displayLabel()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "line\nbreak", "tab\there"})
  void aLabelIsAShortDisplayNameWithoutControlCharacters(String label) {
    assertThatThrownBy(() -> new RailPayment(PAYLOAD, null, null).withLabel(label))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLabelIsAtMost64Characters() {
    RailPayment payment = new RailPayment(PAYLOAD, null, null);
    assertThat(payment.withLabel("x".repeat(64)).label()).hasSize(64);
    assertThatThrownBy(() -> payment.withLabel("x".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
