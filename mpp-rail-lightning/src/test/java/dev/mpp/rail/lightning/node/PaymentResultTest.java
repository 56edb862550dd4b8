package dev.mpp.rail.lightning.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PaymentResultTest {
  private static final String PREIMAGE = "5e".repeat(32);

  @Test
  void aSucceededPaymentNeverShowsItsPreimage() {
    PaymentResult.Succeeded paid = new PaymentResult.Succeeded(PREIMAGE, 12);
    assertThat(paid.toString()).doesNotContain(PREIMAGE).doesNotContain("5e5e").contains("12");
    assertThat(paid.preimage()).isEqualTo(PREIMAGE);
  }

  @Test
  void malformedValuesAreRefused() {
    assertThatThrownBy(() -> new PaymentResult.Succeeded("ab", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("ab");
    assertThatThrownBy(() -> new PaymentResult.Succeeded(PREIMAGE, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NodeInfo(dev.mpp.rail.lightning.bolt11.Network.MAINNET, "04ab"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InvoiceStatus(InvoiceStatus.State.SETTLED, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
