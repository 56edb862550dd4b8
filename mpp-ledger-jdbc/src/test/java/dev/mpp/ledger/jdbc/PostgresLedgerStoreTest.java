package dev.mpp.ledger.jdbc;

import static dev.mpp.wallet.testing.TestRecords.T0;
import static dev.mpp.wallet.testing.TestRecords.held;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Usage;
import dev.mpp.wallet.testing.ContentionWorkload;
import dev.mpp.wallet.testing.LedgerStoreContract;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL store against the throwaway server of {@code .ci/postgres.sh}: the contract, plus
 * two JVMs sharing one budget, crashes, and schemas it must not touch.
 */
class PostgresLedgerStoreTest extends LedgerStoreContract {

  @Override
  protected LedgerStore newStore() {
    return PgTestDatabase.builder(PgTestDatabase.newSchema()).open();
  }

  @Test
  void twoProcessesShareOneBudget() throws Exception {
    String schema = PgTestDatabase.newSchema();
    try (PostgresLedgerStore parent = PgTestDatabase.builder(schema).open();
        ChildJvm child =
            ChildJvm.start(
                ContentionChild.class, StoreSpec.postgres(schema), "child", "7", "32", "200")) {
      child.awaitLine("READY", 120);
      child.send("GO");
      child.awaitLine("FIRST", 120);
      ContentionWorkload.Result mine =
          ContentionWorkload.standard("parent", 3).run(parent, 32, 200);
      assertThat(child.waitFor(600)).as("child output %s", child.output()).isZero();
      ContentionWorkload.Result theirs = SqliteLedgerStoreTest.childResult(child);

      ContentionWorkload.verify(parent, List.of(mine, theirs), 2 * 32 * 200);
      assertThat(theirs.paid()).as("the child paid too").isPositive();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"reserved", "unknown"})
  void killedProcessLeavesItsReservationCounted(String stage) throws Exception {
    String schema = PgTestDatabase.newSchema();
    try (ChildJvm child =
        ChildJvm.start(CrashChild.class, StoreSpec.postgres(schema), "c1", stage)) {
      child.awaitLine("READY", 120);
      child.kill();
    }
    try (PostgresLedgerStore store = PgTestDatabase.builder(schema).open()) {
      PaymentRecord record = store.find("c1").orElseThrow();
      assertThat(record.state())
          .isEqualTo(stage.equals("unknown") ? PaymentState.UNKNOWN : PaymentState.HELD);
      assertThat(store.usage(Limit.Scope.agent(CrashChild.AGENT), null, null).usdMicros())
          .isEqualTo(CrashChild.AMOUNT);
      assertThatThrownBy(
              () ->
                  store.reserve(
                      held(
                          "c2", CrashChild.AGENT, null, CrashChild.CAP - CrashChild.AMOUNT + 1, T0),
                      List.of(CrashChild.cap())))
          .isInstanceOf(PaymentDeniedException.class);
    }
  }

  @Test
  void newerSchemaVersionIsRefusedAndRecordsSurvive() {
    String schema = PgTestDatabase.newSchema();
    try (PostgresLedgerStore store = PgTestDatabase.builder(schema).open()) {
      store.reserve(held("v1", "bot", null, 10, T0), List.of());
    }
    PgTestDatabase.execute(
        "INSERT INTO " + schema + ".mpp_schema_version VALUES (99, 'from the future', 0)");

    assertThatThrownBy(() -> PgTestDatabase.builder(schema).open())
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.LEDGER_FAILURE);
              assertThat(e.getMessage()).contains("version 99");
            });

    PgTestDatabase.execute("DELETE FROM " + schema + ".mpp_schema_version WHERE version = 99");
    try (PostgresLedgerStore store = PgTestDatabase.builder(schema).open()) {
      assertThat(store.find("v1")).isPresent();
    }
  }

  @Test
  void ledgerTablesWithoutVersionAreRefused() {
    String schema = PgTestDatabase.newSchema();
    PgTestDatabase.execute("CREATE TABLE " + schema + ".mpp_payment (id TEXT PRIMARY KEY)");

    assertThatThrownBy(() -> PgTestDatabase.builder(schema).open())
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.LEDGER_FAILURE));
  }

  @Test
  void storesOpeningTogetherMigrateOnce() throws Exception {
    String schema = PgTestDatabase.newSchema();
    List<Thread> threads = new java.util.ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    for (int i = 0; i < 4; i++) {
      Thread thread =
          new Thread(
              () -> {
                try (PostgresLedgerStore store = PgTestDatabase.builder(schema).open()) {
                  store.usage(Limit.Scope.agent("bot"), null, null);
                } catch (Throwable t) {
                  failures.add(t);
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void dataSourceSuppliedByTheApplicationWorks() {
    String schema = PgTestDatabase.newSchema();
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(PgTestDatabase.url());
    dataSource.setCurrentSchema(schema);
    try (PostgresLedgerStore store = PostgresLedgerStore.builder(dataSource).open()) {
      store.reserve(held("ds1", "bot", "acme", 10, T0), List.of());
      store.transition("ds1", PaymentState.RELEASED, null, null, null, T0);
      assertThat(store.find("ds1").orElseThrow().state()).isEqualTo(PaymentState.RELEASED);
      assertThat(store.usage(Limit.Scope.fleet("acme"), null, null)).isEqualTo(Usage.NONE);
    }
  }

  @Test
  void toStringNeverShowsThePassword() {
    try (LedgerStore store = newStore()) {
      assertThat(store.toString()).doesNotContain("password").doesNotContain("?");
    }
  }

  @Test
  void unreachableServerFailsTyped() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/none?connectTimeout=2";
    assertThatThrownBy(
            () -> PostgresLedgerStore.builder(url).user("x").password("secret-pw").open())
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.LEDGER_FAILURE);
              assertThat(e.getMessage()).doesNotContain("secret-pw");
            });
  }
}
