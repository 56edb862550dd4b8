package dev.mpp.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.wallet.testing.HmacTestRail;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README quick starts pay the loopback demo paywall. */
class QuickStartTest {

  @Test
  void okHttpQuickStartPaysOneCent() throws Exception {
    try (DemoPaywall demo = DemoPaywall.start(HmacTestRail.DEFAULT_SECRET)) {
      assertPaidOneCent(OkHttpQuickStart.fetch(demo.url("/weather")));
    }
  }

  @Test
  void jdkQuickStartPaysOneCent() throws Exception {
    try (DemoPaywall demo = DemoPaywall.start(HmacTestRail.DEFAULT_SECRET)) {
      assertPaidOneCent(JdkQuickStart.fetch(demo.url("/weather")));
    }
  }

  @Test
  void aWrongSecretIsRejectedAndNotCountedAsPaid() throws Exception {
    try (DemoPaywall demo = DemoPaywall.start("another-secret")) {
      Optional<PaymentRecord> record = OkHttpQuickStart.fetch(demo.url("/weather"));
      assertThat(record.map(PaymentRecord::state)).isNotEqualTo(Optional.of(PaymentState.PAID));
    }
  }

  private static void assertPaidOneCent(Optional<PaymentRecord> record) {
    assertThat(record)
        .hasValueSatisfying(
            paid -> {
              assertThat(paid.state()).isEqualTo(PaymentState.PAID);
              assertThat(paid.usd()).isEqualByComparingTo(new BigDecimal("0.01"));
              assertThat(paid.reference()).startsWith("demo-");
              assertThat(paid.agent()).isEqualTo("bot-1");
            });
  }
}
