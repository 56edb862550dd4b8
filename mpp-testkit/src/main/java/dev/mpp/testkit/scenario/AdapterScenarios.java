package dev.mpp.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.ProblemType;
import dev.mpp.wallet.Budget;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.LedgerQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour every HTTP adapter must show, run against a loopback {@link MockWebServer}.
 * Subclass it in the adapter's tests and return a driver from {@link #driver()}; every scenario
 * runs synchronously and asynchronously where the difference matters.
 *
 * <p>The scenarios come in numbered groups, each a superclass of the next: {@link PayingScenarios}
 * (1-4), {@link AfterPaymentScenarios} (5-7), {@link CredentialSafetyScenarios} (8-11), and here
 * the load and logging scenarios (12-13).
 */
public abstract class AdapterScenarios extends CredentialSafetyScenarios {
  // 12. A burst through one client never spends more than the budget.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void concurrentPaidCallsNeverOverspend(Mode mode) throws Exception {
    int calls = 200;
    int affordable = 50;
    Wallet payer = wallet((long) affordable * PRICE_CENTS);
    Paywall.Metered metered = new Paywall.Metered(PRICE_CENTS);
    server.setDispatcher(metered);
    AdapterDriver.Client client = client(ClientOptions.of(payer));

    List<CompletableFuture<HttpReply>> replies = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(32);
    try {
      for (int i = 0; i < calls; i++) {
        HttpCall call = HttpCall.get(url("/item/" + i));
        replies.add(
            mode == Mode.ASYNC
                ? client.executeAsync(call)
                : CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        return client.execute(call);
                      } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                      }
                    },
                    callers));
      }
      int paid = 0;
      int denied = 0;
      for (CompletableFuture<HttpReply> reply : replies) {
        try {
          HttpReply ok = reply.get(60, TimeUnit.SECONDS);
          assertThat(ok.status()).isEqualTo(200);
          assertThat(ok.record().map(PaymentRecord::state)).contains(PaymentState.PAID);
          paid++;
        } catch (java.util.concurrent.ExecutionException e) {
          MppException error = mppError(e);
          assertThat(error.code()).isEqualTo(ErrorCode.POLICY_DENIED);
          denied++;
        }
      }
      assertThat(paid).isEqualTo(affordable);
      assertThat(denied).isEqualTo(calls - affordable);
    } finally {
      callers.shutdownNow();
    }
    assertThat(metered.paid()).isEqualTo(affordable);
    assertThat(metered.rejected()).isZero();
    assertThat(metered.credentials()).hasSize(affordable);
    assertThat(metered.issued()).isEqualTo(calls);
    List<PaymentRecord> ledger = payer.records(LedgerQuery.all());
    assertThat(ledger).hasSize(affordable).allMatch(r -> r.state() == PaymentState.PAID);
    assertThat(ledger.stream().mapToLong(PaymentRecord::usdMicros).sum())
        .isEqualTo(affordable * PRICE_CENTS * 10_000L);
    assertThat(ledger).extracting(PaymentRecord::reference).doesNotHaveDuplicates();
    Budget.Line cap = payer.budget(ClientOptions.DEFAULT_AGENT).lines().get(0);
    assertThat(cap.remaining()).isZero();
    assertThat(cap.held()).isZero();
    assertThat(cap.unknown()).isZero();
    client.assertNoLeaks();
  }

  // 13. Nothing logged, at any level, holds a credential, a key or a receipt reference.
  @Test
  void logsNeverContainCredentialsKeysOrReceiptReferences() throws Exception {
    Wallet payer = wallet(100_00);
    List<String> secrets = new ArrayList<>();
    String captured;
    try (LogCapture logs = LogCapture.start()) {
      AdapterDriver.Client client = client(ClientOptions.of(payer));
      Challenge paid = Paywall.charge("ch-log-paid", PRICE_CENTS);
      server.enqueue(Paywall.paymentRequired(paid));
      server.enqueue(Paywall.paid("ok", "ref-log-secret-1", paid.id()));
      Challenge rejected = Paywall.charge("ch-log-rejected", PRICE_CENTS);
      server.enqueue(Paywall.paymentRequired(rejected));
      server.enqueue(Paywall.problem(402, ProblemType.VERIFICATION_FAILED, "nope").build());
      Challenge lost = Paywall.charge("ch-log-lost", PRICE_CENTS);
      server.enqueue(Paywall.paymentRequired(lost));
      server.enqueue(reset());
      Challenge failing = Paywall.charge("ch-log-5xx", PRICE_CENTS);
      server.enqueue(Paywall.paymentRequired(failing));
      server.enqueue(
          new MockResponse.Builder()
              .code(503)
              .setHeader("Payment-Receipt", Paywall.receipt("ref-log-secret-2", failing.id()))
              .build());

      run(client, HttpCall.get(url("/log/1")), Mode.SYNC);
      run(client, HttpCall.get(url("/log/2")), Mode.ASYNC);
      catchThrowable(() -> run(client, HttpCall.withBody("POST", url("/log/3"), "x"), Mode.SYNC));
      run(client, HttpCall.get(url("/log/4")), Mode.SYNC);
      captured = logs.text();
    }
    for (RecordedRequest request : requests(server)) {
      String credential = authorization(request);
      if (credential != null) {
        secrets.add(credential);
        secrets.add(credential.substring("Payment ".length()));
        Credential parsed = Credential.parse(credential);
        secrets.add(parsed.payload().path("mac").asText());
      }
    }
    secrets.add(FakePayer.SECRET);
    secrets.add("ref-log-secret-1");
    secrets.add("ref-log-secret-2");
    secrets.add(Paywall.receipt("ref-log-secret-1", "ch-log-paid").substring(0, 40));

    assertThat(secrets).hasSizeGreaterThan(9);
    assertThat(captured).as("the capture sees the flow's debug output").contains("ch-log-paid");
    for (String secret : secrets) {
      assertThat(captured).doesNotContain(secret);
    }
  }
}
