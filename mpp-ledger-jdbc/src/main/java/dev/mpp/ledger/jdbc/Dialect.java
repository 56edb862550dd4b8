package dev.mpp.ledger.jdbc;

import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What differs between the databases the ledger runs on, and nothing else: column types of the one
 * schema ({@link LedgerSchema}), how base-unit amounts (beyond a long) are stored and added, and
 * which errors mean retry, wait or reconnect. Everything a dialect does not say is shared SQL.
 */
interface Dialect {

  // ---------------------------------------------------------------- schema

  /** The schema step's description in {@code mpp_schema_version}. */
  String schemaDescription();

  /** The type of a 64-bit integer column. */
  String int64Type();

  /** The insertion-order key column, {@code seq}, with its type and primary-key clause. */
  String seqColumn();

  /** The type of a payment's amount in base units. */
  String amountType();

  /** The type of a bucket's summed base units. */
  String unitsType();

  /** Table options of {@code mpp_bucket} after its column list (empty when none). */
  String bucketTableOptions();

  /**
   * Whether writers lock per-scope rows ({@code mpp_scope}) rather than the whole database: the
   * schema then has that table.
   */
  boolean locksScopes();

  // ---------------------------------------------------------------- amounts

  /** The SQL placeholder for a units value ({@code ?}, with a cast where needed). */
  String unitsParam();

  /** The SQL expression adding two units values (the bucket upsert's spelling). */
  String addUnits(String left, String right);

  /** Binds a units value. */
  void setUnits(PreparedStatement statement, int index, BigInteger units) throws SQLException;

  /** Reads a units value. */
  BigInteger getUnits(ResultSet rows, int column) throws SQLException;

  // ---------------------------------------------------------------- errors

  /** Whether a failed batch may simply run again (deadlock victim, serialization failure). */
  boolean isTransient(SQLException e);

  /** Whether the database is locked by others: running writes one by one would not help. */
  boolean isBusy(SQLException e);

  /** Whether the connection must not be reused after {@code e}. */
  boolean isBroken(SQLException e);
}
