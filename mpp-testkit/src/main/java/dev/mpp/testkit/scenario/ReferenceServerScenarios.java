package dev.mpp.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Receipt;
import dev.mpp.testkit.scenario.ScenarioHarness.Mode;
import dev.mpp.testkit.stack.LocalMppServer;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.testkit.stack.LocalStackExtension;
import dev.mpp.testkit.stack.ServerRoute;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.HmacTestRail;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The adapters against the real reference server (mppx 0.11.0, {@code examples/mpp-server}), paying
 * its HMAC {@code test} method with the wallet's {@link HmacTestRail}: interoperability, not just
 * agreement with our own mock. Subclass it with the adapter's driver.
 */
@ExtendWith(LocalStackExtension.class)
public abstract class ReferenceServerScenarios {
  private final List<AdapterDriver.Client> clients = new ArrayList<>();

  /** The adapter under test. */
  protected abstract AdapterDriver driver();

  @AfterEach
  void closeClients() {
    clients.forEach(AdapterDriver.Client::close);
  }

  private AdapterDriver.Client client(Wallet wallet) {
    AdapterDriver.Client client = driver().client(ClientOptions.of(wallet));
    clients.add(client);
    return client;
  }

  private static Wallet wallet(String secret) {
    return Wallet.builder()
        .ledger(new InMemoryLedgerStore())
        .rail(HmacTestRail.of(secret))
        .agent(ClientOptions.DEFAULT_AGENT, Policy.builder().cap(Window.DAY, "1.00").build())
        .build();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void paysTheReferenceServersTestCharge(Mode mode, LocalStack stack) throws Exception {
    Wallet wallet = wallet(LocalMppServer.DEFAULT_TEST_SECRET);

    HttpReply reply =
        ScenarioHarness.run(client(wallet), HttpCall.get(stack.url(ServerRoute.TEST_CHARGE)), mode);

    assertThat(reply.status()).isEqualTo(200);
    PaymentRecord record = reply.record().orElseThrow();
    assertThat(record.state()).isEqualTo(PaymentState.PAID);
    assertThat(record.method()).isEqualTo("test");
    assertThat(record.realm()).isEqualTo(stack.server().realm());
    assertThat(record.usd()).isEqualByComparingTo(new BigDecimal("0.01"));
    assertThat(record.receipt().map(Receipt::reference)).contains(record.reference());
    assertThat(wallet.records(LedgerQuery.all()))
        .extracting(PaymentRecord::id)
        .containsExactly(record.id());
  }

  @Test
  void paysTheOnlyPayableOfferOfAMultiOfferRoute(LocalStack stack) throws Exception {
    Wallet wallet = wallet(LocalMppServer.DEFAULT_TEST_SECRET);

    HttpReply reply =
        ScenarioHarness.run(client(wallet), HttpCall.get(stack.url(ServerRoute.MULTI)), Mode.SYNC);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.record().map(PaymentRecord::method)).contains("test");
    assertThat(reply.record().map(PaymentRecord::usd).orElseThrow())
        .isEqualByComparingTo(new BigDecimal("0.02"));
    assertThat(reply.record().map(PaymentRecord::rationale).orElseThrow()).contains("tempo");
  }

  @Test
  void aCredentialTheServerRejectsIsReportedAndNotCountedAsPaid(LocalStack stack) throws Exception {
    Wallet wallet = wallet("not-the-servers-secret");

    HttpReply reply =
        ScenarioHarness.run(
            client(wallet), HttpCall.get(stack.url(ServerRoute.TEST_CHARGE)), Mode.SYNC);

    assertThat(reply.status()).isEqualTo(402);
    assertThat(reply.record().map(PaymentRecord::state))
        .isPresent()
        .isNotEqualTo(PaymentState.PAID);
    assertThat(wallet.records(LedgerQuery.all())).noneMatch(r -> r.state() == PaymentState.PAID);
  }

  @Test
  void aFreeRouteIsUntouched(LocalStack stack) throws Exception {
    Wallet wallet = wallet(LocalMppServer.DEFAULT_TEST_SECRET);

    HttpReply reply =
        ScenarioHarness.run(client(wallet), HttpCall.get(stack.url(ServerRoute.FREE)), Mode.SYNC);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.record()).isEmpty();
    assertThat(wallet.records(LedgerQuery.all())).isEmpty();
  }
}
