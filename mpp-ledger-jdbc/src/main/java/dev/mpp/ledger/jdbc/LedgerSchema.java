package dev.mpp.ledger.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned migrations of the ledger tables, recorded in {@code mpp_schema_version}. A store
 * applies the missing ones when it opens and refuses a database whose schema is newer than it
 * knows, or that holds ledger tables without a version: guessing there could lose records.
 */
final class LedgerSchema {

  /** The schema version this SDK writes. */
  static final int VERSION = 1;

  /** Tables the ledger owns besides {@code mpp_schema_version}. */
  static final List<String> TABLES = List.of("mpp_payment", "mpp_bucket", "mpp_scope");

  /**
   * One step of the schema.
   *
   * @param version the version the database has after this step
   * @param description what the step does
   * @param statements the DDL, run in order inside the migration transaction
   */
  record Migration(int version, String description, List<String> statements) {}

  /** Whether a table exists, in the dialect's catalog. */
  @FunctionalInterface
  interface Catalog {
    boolean tableExists(Connection connection, String table) throws SQLException;
  }

  /** The database's schema does not fit this SDK; nothing was changed. */
  static final class MismatchException extends SQLException {
    private static final long serialVersionUID = 1L;

    MismatchException(String message) {
      super(message);
    }
  }

  private LedgerSchema() {}

  /**
   * Brings the schema to {@link #VERSION}. Runs inside the caller's transaction, which must hold
   * the database's migration lock so that concurrently starting processes migrate once.
   *
   * @return the version found before migrating (0 for an empty database)
   * @throws MismatchException for a newer or unversioned schema
   */
  static int migrate(Connection connection, Catalog catalog, List<Migration> migrations)
      throws SQLException {
    int found;
    if (catalog.tableExists(connection, "mpp_schema_version")) {
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM mpp_schema_version")) {
        rows.next();
        found = rows.getInt(1);
      }
    } else {
      for (String table : TABLES) {
        if (catalog.tableExists(connection, table)) {
          throw new MismatchException(
              "the database has a "
                  + table
                  + " table but no mpp_schema_version: not a ledger this SDK can trust");
        }
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE mpp_schema_version (version INTEGER PRIMARY KEY,"
                + " description TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)");
      }
      found = 0;
    }
    if (found > VERSION) {
      throw new MismatchException(
          "the ledger schema is version "
              + found
              + ", newer than version "
              + VERSION
              + " that this SDK knows; upgrade the SDK");
    }
    for (Migration migration : migrations) {
      if (migration.version() <= found) {
        continue;
      }
      try (Statement statement = connection.createStatement()) {
        for (String sql : migration.statements()) {
          statement.execute(sql);
        }
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO mpp_schema_version (version, description, applied_at_ms)"
                  + " VALUES (?, ?, ?)")) {
        insert.setInt(1, migration.version());
        insert.setString(2, migration.description());
        insert.setLong(3, System.currentTimeMillis());
        insert.executeUpdate();
      }
    }
    return found;
  }
}
