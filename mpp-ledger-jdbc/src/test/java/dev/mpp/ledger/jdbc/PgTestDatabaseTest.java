package dev.mpp.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Without a database the PostgreSQL tests say so: skipped with the hint locally, failed in CI. */
class PgTestDatabaseTest {

  @Test
  void missingLocallyIsASkipWithTheHint() {
    assertThatThrownBy(() -> PgTestDatabase.url(null, false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("MPP_TEST_PG_URL is not set")
        .hasMessageContaining(".ci/postgres.sh start && source target/pg.env");
    assertThatThrownBy(() -> PgTestDatabase.url(" ", false))
        .isInstanceOf(TestAbortedException.class);
  }

  @Test
  void missingUnderCiFails() {
    assertThatThrownBy(() -> PgTestDatabase.url(null, true))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("MPP_TEST_PG_URL is not set");
  }

  @Test
  void aConfiguredUrlIsUsed() {
    assertThat(PgTestDatabase.url("jdbc:postgresql://127.0.0.1/x", true))
        .isEqualTo("jdbc:postgresql://127.0.0.1/x");
  }
}
