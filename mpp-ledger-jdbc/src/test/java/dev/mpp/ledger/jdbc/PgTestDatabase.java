package dev.mpp.ledger.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The throwaway PostgreSQL of the tests ({@code .ci/postgres.sh start}, then {@code source
 * target/pg.env}). Each test gets its own schema so that tests never see each other's rows.
 */
public final class PgTestDatabase {
  static final String ENV = "MPP_TEST_PG_URL";

  private PgTestDatabase() {}

  /** The URL, or the test is skipped (locally) or failed (under CI) when none is configured. */
  public static String url() {
    return url(System.getenv(ENV), System.getenv("CI") != null);
  }

  /**
   * {@code configured}, or — when it is missing — a failing assumption with the hint to start a
   * server (the test counts as skipped), or under CI a failure: CI must run these tests.
   */
  static String url(String configured, boolean underCi) {
    if (configured == null || configured.isBlank()) {
      String message =
          ENV
              + " is not set: start a throwaway PostgreSQL with `.ci/postgres.sh start && source"
              + " target/pg.env`";
      if (underCi) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return configured;
  }

  /** Creates a fresh schema and returns its name. */
  public static String newSchema() {
    String schema =
        "t_" + Long.toHexString(ThreadLocalRandom.current().nextLong()).toLowerCase(Locale.ROOT);
    execute("CREATE SCHEMA " + schema);
    return schema;
  }

  /** Runs one statement on a fresh connection. */
  static void execute(String sql) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** A plain connection (default schema). */
  static Connection connect() throws SQLException {
    return DriverManager.getConnection(url());
  }

  /** A store builder whose tables live in {@code schema}. */
  public static PostgresLedgerStore.Builder builder(String schema) {
    return PostgresLedgerStore.builder(url()).property("currentSchema", schema).poolSize(8);
  }
}
