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
import dev.mpp.wallet.testing.ContentionWorkload;
import dev.mpp.wallet.testing.LedgerStoreContract;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SQLite store: the contract, plus files shared by processes, crashes and damaged files. */
class SqliteLedgerStoreTest extends LedgerStoreContract {

  @TempDir Path dir;

  @Override
  protected LedgerStore newStore() {
    return SqliteLedgerStore.open(dir.resolve("ledger.db"));
  }

  @Test
  void reopenedFileHasEveryRecordAndCountsThem() {
    Path file = dir.resolve("reopen.db");
    PaymentRecord record = held("k1", "bot", "acme", 700, T0);
    try (SqliteLedgerStore first = SqliteLedgerStore.open(file)) {
      first.reserve(record, List.of());
      first.reserve(held("k2", "bot", "acme", 100, T0), List.of());
      first.transition("k2", PaymentState.RELEASED, null, null, null, T0);
    }
    try (SqliteLedgerStore again = SqliteLedgerStore.open(file)) {
      assertThat(again.find("k1")).contains(record);
      assertThat(again.usage(Limit.Scope.fleet("acme"), T0, null).usdMicros()).isEqualTo(700);
    }
  }

  @Test
  void normalSynchronousModeWorksToo() {
    Path file = dir.resolve("normal.db");
    try (SqliteLedgerStore normal =
        SqliteLedgerStore.builder(file)
            .synchronous(SqliteLedgerStore.Synchronous.NORMAL)
            .readConnections(1)
            .open()) {
      normal.reserve(held("n1", "bot", null, 5, T0), List.of());
      assertThat(normal.toString()).contains("NORMAL");
    }
    try (SqliteLedgerStore again = SqliteLedgerStore.open(file)) {
      assertThat(again.find("n1")).isPresent();
    }
  }

  @Test
  void twoProcessesOnOneFileNeverExceedACap() throws Exception {
    Path file = dir.resolve("shared.db");
    try (SqliteLedgerStore parent = SqliteLedgerStore.open(file);
        ChildJvm child =
            ChildJvm.start(
                ContentionChild.class, StoreSpec.sqlite(file), "child", "7", "32", "200")) {
      child.awaitLine("READY", 120);
      child.send("GO");
      child.awaitLine("FIRST", 120);
      ContentionWorkload.Result mine =
          ContentionWorkload.standard("parent", 3).run(parent, 32, 200);
      assertThat(child.waitFor(600)).as("child output %s", child.output()).isZero();
      ContentionWorkload.Result theirs = childResult(child);

      ContentionWorkload.verify(parent, List.of(mine, theirs), 2 * 32 * 200);
      assertThat(theirs.paid()).as("the child paid too").isPositive();
    }
  }

  static ContentionWorkload.Result childResult(ChildJvm child) throws InterruptedException {
    String[] parts = child.awaitLine("RESULT ", 10).split(" ");
    List<String> errors =
        child.output().stream().filter(line -> line.startsWith("ERROR ")).toList();
    return new ContentionWorkload.Result(
        Long.parseLong(parts[1]), Long.parseLong(parts[2]), errors);
  }

  @ParameterizedTest
  @ValueSource(strings = {"reserved", "unknown"})
  void killedProcessLeavesItsReservationCounted(String stage) throws Exception {
    Path file = dir.resolve("crash-" + stage + ".db");
    try (ChildJvm child = ChildJvm.start(CrashChild.class, StoreSpec.sqlite(file), "c1", stage)) {
      child.awaitLine("READY", 120);
      child.kill();
    }
    try (SqliteLedgerStore store = SqliteLedgerStore.open(file)) {
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

  // ---------------------------------------------------------------- damaged or foreign files

  @Test
  void fileThatIsNotADatabaseIsRefusedAndLeftAlone() throws IOException {
    Path file = dir.resolve("garbage.db");
    byte[] garbage = new byte[8192];
    new Random(5).nextBytes(garbage);
    Files.write(file, garbage);

    assertLedgerFailure(() -> SqliteLedgerStore.open(file));

    assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
  }

  @Test
  void damagedPagesGiveTypedErrorsNeverSilence() throws IOException {
    Path file = dir.resolve("damaged.db");
    try (SqliteLedgerStore store = SqliteLedgerStore.open(file)) {
      for (int i = 0; i < 50; i++) {
        store.reserve(held("d" + i, "bot", null, 10, T0), List.of());
      }
    }
    long length = Files.size(file);
    assertThat(length).isGreaterThan(4096 * 3);
    try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
      byte[] junk = new byte[(int) length - 4096];
      new Random(9).nextBytes(junk);
      raw.seek(4096); // keep the header page, overwrite every table page
      raw.write(junk);
    }
    byte[] damaged = Files.readAllBytes(file);

    assertLedgerFailure(() -> SqliteLedgerStore.open(file).close());

    assertThat(Files.readAllBytes(file)).isEqualTo(damaged);
  }

  @Test
  void newerSchemaVersionIsRefusedAndRecordsSurvive() throws SQLException {
    Path file = dir.resolve("future.db");
    try (SqliteLedgerStore store = SqliteLedgerStore.open(file)) {
      store.reserve(held("v1", "bot", null, 10, T0), List.of());
    }
    sql(file, "INSERT INTO mpp_schema_version VALUES (99, 'from the future', 0)");

    assertThatThrownBy(() -> SqliteLedgerStore.open(file))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.LEDGER_FAILURE);
              assertThat(e.getMessage()).contains("version 99");
            });

    sql(file, "DELETE FROM mpp_schema_version WHERE version = 99");
    try (SqliteLedgerStore store = SqliteLedgerStore.open(file)) {
      assertThat(store.find("v1")).isPresent();
    }
  }

  @Test
  void ledgerTablesWithoutVersionAreRefused() throws SQLException {
    Path file = dir.resolve("unversioned.db");
    sql(file, "CREATE TABLE mpp_payment (id TEXT PRIMARY KEY, note TEXT)");
    sql(file, "INSERT INTO mpp_payment VALUES ('keep-me', 'x')");

    assertLedgerFailure(() -> SqliteLedgerStore.open(file));

    sql(file, "SELECT 1"); // still a readable database
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT id FROM mpp_payment")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("keep-me");
    }
  }

  @Test
  void otherTablesInTheFileAreLeftAlone() throws SQLException {
    Path file = dir.resolve("shared-with-app.db");
    sql(file, "CREATE TABLE app_settings (k TEXT PRIMARY KEY, v TEXT)");
    try (SqliteLedgerStore store = SqliteLedgerStore.open(file)) {
      store.reserve(held("o1", "bot", null, 10, T0), List.of());
      assertThat(store.find("o1")).isPresent();
    }
  }

  private static void sql(Path file, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static void assertLedgerFailure(ThrowingCallable open) {
    assertThatThrownBy(open)
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.LEDGER_FAILURE));
  }
}
