package dev.mpp.wallet;

import static dev.mpp.wallet.testing.Offers.context;
import static dev.mpp.wallet.testing.Offers.offer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.ProtocolException;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.TestRail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives a typed error, never a payment, and leaves the ledger intact. */
class BadInputTest {
  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  private final TestRail rail = TestRail.builder().asset("usd", 2).asset("eur", 2).build();
  private final Wallet wallet =
      Wallet.builder()
          .ledger(ledger)
          .rail(rail)
          .agent("bot", Policy.builder().cap(Window.DAY, "10.00").build())
          .build();

  private void assertNothingHappened(int records) {
    assertThat(ledger.query(LedgerQuery.all())).hasSize(records);
    assertThat(rail.payments()).isEqualTo(records);
  }

  @Test
  void anOverflowingAmountIsRefused() {
    wallet.authorize(context("bot"), List.of(offer("ok", "test", "5", "usd")));
    String huge = "9".repeat(78);

    assertThatThrownBy(
            () -> wallet.authorize(context("bot"), List.of(offer("x", "test", huge, "usd"))))
        .isInstanceOfSatisfying(
            PaymentRefusedException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.NO_PAYABLE_OFFER);
              assertThat(e.getMessage()).contains("exceeds the pricing range");
            });
    assertNothingHappened(1);
  }

  @Test
  void negativeOrNonIntegerAmountsNeverReachTheWallet() {
    for (String amount : new String[] {"-5", "1.5", "1e3", " 5"}) {
      var json = JsonNodeFactory.instance.objectNode().put("amount", amount).put("currency", "usd");
      assertThatThrownBy(() -> PaymentRequest.of(json))
          .isInstanceOfSatisfying(
              ProtocolException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_AMOUNT));
    }
  }

  @Test
  void anUnknownCurrencyIsUnpriced() {
    assertThatThrownBy(
            () -> wallet.authorize(context("bot"), List.of(offer("x", "test", "5", "eur"))))
        .isInstanceOfSatisfying(
            PaymentRefusedException.class,
            e -> assertThat(e.getMessage()).contains("unpriced (no usd price for test:eur)"));
    assertNothingHappened(0);
  }

  @Test
  void anUnknownCurrencyInAPolicyIsAConfigurationError() {
    assertThatThrownBy(() -> Policy.builder().cap(Window.DAY, "5 eur"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown currency 'eur'");
  }

  @Test
  void negativeOrOverflowingPolicyAmountsAreConfigurationErrors() {
    for (String bad : new String[] {"-1", "1.0000001", "1e3", "99999999999999", "", "five"}) {
      assertThatThrownBy(() -> Policy.builder().maxPerPayment(bad))
          .as(bad)
          .isInstanceOf(ConfigurationException.class);
    }
  }

  @Test
  void anExpiredBudgetDeniesWithoutRecording() {
    Wallet expired =
        Wallet.builder()
            .ledger(ledger)
            .rail(rail)
            .agent("bot", Policy.builder().expiresAt(Instant.parse("2020-01-01T00:00:00Z")).build())
            .build();
    assertThatThrownBy(
            () -> expired.authorize(context("bot"), List.of(offer("x", "test", "5", "usd"))))
        .isInstanceOfSatisfying(
            PaymentDeniedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_EXPIRED));
    assertNothingHappened(0);
  }

  @Test
  void aCorruptPolicyFileIsAConfigurationErrorAndTheLedgerIsUntouched(@TempDir Path dir)
      throws Exception {
    wallet
        .authorize(context("bot"), List.of(offer("ok", "test", "5", "usd")))
        .settle(200, null, null);
    Path file = dir.resolve("policy.json");
    Files.writeString(file, "{\"caps\": [{\"window\": \"day\", \"max\": \"5.00\"");

    assertThatThrownBy(() -> Policy.load(file))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.getMessage())
                    .startsWith(file + ": not valid JSON")
                    .doesNotContain("\n"));
    assertThat(ledger.query(LedgerQuery.all())).hasSize(1);
  }
}
