package dev.mpp.ledger.jdbc;

import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite's spelling: 64-bit {@code INTEGER}s, amounts as decimal text added by the {@link
 * #UNITS_ADD} function each write connection registers, and the database-wide write lock ({@code
 * BEGIN IMMEDIATE}) instead of scope rows.
 */
final class SqliteDialect implements Dialect {

  /** The SQL function adding two decimal-text amounts, registered on the write connection. */
  static final String UNITS_ADD = "mpp_units_add";

  static final SqliteDialect INSTANCE = new SqliteDialect();

  private SqliteDialect() {}

  @Override
  public String schemaDescription() {
    return "payments, spend buckets";
  }

  @Override
  public String int64Type() {
    return "INTEGER";
  }

  @Override
  public String seqColumn() {
    // an alias of the rowid: assigned in insertion order
    return "seq INTEGER PRIMARY KEY";
  }

  @Override
  public String amountType() {
    return "TEXT";
  }

  @Override
  public String unitsType() {
    return "TEXT";
  }

  @Override
  public String bucketTableOptions() {
    return " WITHOUT ROWID";
  }

  @Override
  public boolean locksScopes() {
    return false;
  }

  @Override
  public String unitsParam() {
    return "?";
  }

  @Override
  public String addUnits(String left, String right) {
    return UNITS_ADD + "(" + left + ", " + right + ")";
  }

  @Override
  public void setUnits(PreparedStatement statement, int index, BigInteger units)
      throws SQLException {
    statement.setString(index, units.toString());
  }

  @Override
  public BigInteger getUnits(ResultSet rows, int column) throws SQLException {
    return new BigInteger(rows.getString(column));
  }

  @Override
  public boolean isTransient(SQLException e) {
    return false;
  }

  @Override
  public boolean isBusy(SQLException e) {
    int primary = primaryCode(e);
    return primary == SQLiteErrorCode.SQLITE_BUSY.code
        || primary == SQLiteErrorCode.SQLITE_LOCKED.code;
  }

  @Override
  public boolean isBroken(SQLException e) {
    int primary = primaryCode(e);
    return !(isBusy(e) || primary == SQLiteErrorCode.SQLITE_CONSTRAINT.code);
  }

  private static int primaryCode(SQLException e) {
    if (e instanceof SQLiteException sqlite) {
      return sqlite.getResultCode().code & 0xff;
    }
    return e.getErrorCode() & 0xff;
  }
}
