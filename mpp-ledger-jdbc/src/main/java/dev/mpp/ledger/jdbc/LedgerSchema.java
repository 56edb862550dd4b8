package dev.mpp.ledger.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's schema, defined once for every database, and its versioned migrations, recorded in
 * {@code mpp_schema_version}. A store applies the missing ones when it opens and refuses a database
 * whose schema is newer than it knows, or that holds ledger tables without a version: guessing
 * there could lose records.
 *
 * <p>The DDL is written here once; what differs between databases (column types, table options, the
 * scope lock table) is asked of the {@link Dialect}. A migration's statements must never change
 * once released: databases that applied it keep what it created, and a later change is a new
 * migration.
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

  /** Every migration of the schema, in order, spelled for {@code dialect}. */
  static List<Migration> migrations(Dialect dialect) {
    return List.of(new Migration(1, dialect.schemaDescription(), version1(dialect)));
  }

  /** Payments, spend buckets and (where writers lock scope rows) the scope lock rows. */
  private static List<String> version1(Dialect d) {
    String int64 = d.int64Type();
    List<String> statements = new ArrayList<>();
    statements.add(
        "CREATE TABLE mpp_payment ("
            + (" " + d.seqColumn() + ",")
            + " id TEXT NOT NULL UNIQUE,"
            + " agent TEXT NOT NULL,"
            + " fleet TEXT,"
            + (" created_ns " + int64 + " NOT NULL,")
            + (" updated_ns " + int64 + " NOT NULL,")
            + " url TEXT,"
            + " origin TEXT,"
            + " realm TEXT,"
            + " method TEXT NOT NULL,"
            + " intent TEXT NOT NULL,"
            + " challenge_id TEXT NOT NULL,"
            + (" amount " + d.amountType() + " NOT NULL,")
            + " currency TEXT NOT NULL,"
            + (" chain_id " + int64 + ",")
            + " decimals INTEGER NOT NULL,"
            + " asset_key TEXT NOT NULL,"
            + (" usd_micros " + int64 + " NOT NULL,")
            + (" fee_usd_micros " + int64 + " NOT NULL,")
            + " state TEXT NOT NULL"
            + "  CHECK (state IN ('HELD', 'PAID', 'RELEASED', 'UNKNOWN')),"
            + " reference TEXT,"
            + " receipt_header TEXT,"
            + " rationale TEXT,"
            + " detail TEXT)");
    statements.add("CREATE INDEX mpp_payment_agent_created ON mpp_payment (agent, created_ns)");
    statements.add("CREATE INDEX mpp_payment_fleet_created ON mpp_payment (fleet, created_ns)");
    statements.add("CREATE INDEX mpp_payment_created ON mpp_payment (created_ns)");
    statements.add("CREATE INDEX mpp_payment_state_created ON mpp_payment (state, created_ns)");
    statements.add(
        "CREATE TABLE mpp_bucket ("
            + " scope_kind TEXT NOT NULL,"
            + " scope_name TEXT NOT NULL,"
            + (" span " + int64 + " NOT NULL,")
            + (" start_ns " + int64 + " NOT NULL,")
            + " asset_key TEXT NOT NULL,"
            + (" usd_micros " + int64 + " NOT NULL,")
            + (" pay_count " + int64 + " NOT NULL,")
            + (" units " + d.unitsType() + " NOT NULL,")
            + " PRIMARY KEY (scope_kind, scope_name, span, start_ns, asset_key))"
            + d.bucketTableOptions());
    if (d.locksScopes()) {
      statements.add(
          "CREATE TABLE mpp_scope ("
              + " kind TEXT NOT NULL,"
              + " name TEXT NOT NULL,"
              + " PRIMARY KEY (kind, name))");
    }
    return List.copyOf(statements);
  }

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
