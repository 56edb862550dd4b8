package dev.mpp.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The store builders set each option once: a second call is a mistake, named, not a silent win. */
class StoreBuildersTest {

  @Test
  void sqliteOptionsAreOneShot() {
    SqliteLedgerStore.Builder builder =
        SqliteLedgerStore.builder(Path.of("unused.db"))
            .synchronous(SqliteLedgerStore.Synchronous.NORMAL)
            .busyTimeout(Duration.ofSeconds(1))
            .readConnections(2);

    assertThatThrownBy(() -> builder.synchronous(SqliteLedgerStore.Synchronous.FULL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("synchronous was already set");
    assertThatThrownBy(() -> builder.busyTimeout(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("busyTimeout was already set");
    assertThatThrownBy(() -> builder.readConnections(3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("readConnections was already set");
  }

  @Test
  void anInvalidValueDoesNotUseUpTheOption() {
    SqliteLedgerStore.Builder builder = SqliteLedgerStore.builder(Path.of("unused.db"));

    assertThatThrownBy(() -> builder.readConnections(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(builder.readConnections(1)).isSameAs(builder);
  }

  @Test
  void postgresOptionsAreOneShot() {
    PostgresLedgerStore.Builder builder =
        PostgresLedgerStore.builder("jdbc:postgresql://127.0.0.1/none")
            .user("agent")
            .password("secret-pw")
            .property("ssl", "true")
            .poolSize(4)
            .acquireTimeout(Duration.ofSeconds(1));

    assertThatThrownBy(() -> builder.user("other"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("user was already set");
    assertThatThrownBy(() -> builder.property("password", "other"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("password was already set")
        .hasMessageNotContaining("secret-pw");
    assertThatThrownBy(() -> builder.property("ssl", "false"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ssl was already set");
    assertThatThrownBy(() -> builder.poolSize(5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("poolSize was already set");
    assertThatThrownBy(() -> builder.acquireTimeout(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("acquireTimeout was already set");
    assertThat(builder.property("sslmode", "require")).isSameAs(builder);
  }
}
