package dev.mpp.ledger.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * PostgreSQL's spelling: {@code BIGINT}s, amounts as {@code NUMERIC}, an identity column for
 * insertion order, and per-scope lock rows ({@code mpp_scope}) so that writers of different budgets
 * do not wait for each other.
 */
final class PostgresDialect implements Dialect {

  static final PostgresDialect INSTANCE = new PostgresDialect();

  private PostgresDialect() {}

  @Override
  public String schemaDescription() {
    return "payments, spend buckets, scope lock rows";
  }

  @Override
  public String int64Type() {
    return "BIGINT";
  }

  @Override
  public String seqColumn() {
    return "seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
  }

  @Override
  public String amountType() {
    // 78 digits hold any uint256
    return "NUMERIC(78, 0)";
  }

  @Override
  public String unitsType() {
    return "NUMERIC";
  }

  @Override
  public String bucketTableOptions() {
    return "";
  }

  @Override
  public boolean locksScopes() {
    return true;
  }

  @Override
  public String unitsParam() {
    return "?";
  }

  @Override
  public String addUnits(String left, String right) {
    return left + " + " + right;
  }

  @Override
  public void setUnits(PreparedStatement statement, int index, BigInteger units)
      throws SQLException {
    statement.setBigDecimal(index, new BigDecimal(units));
  }

  @Override
  public BigInteger getUnits(ResultSet rows, int column) throws SQLException {
    return rows.getBigDecimal(column).toBigIntegerExact();
  }

  @Override
  public boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state) || "55P03".equals(state);
  }

  @Override
  public boolean isBusy(SQLException e) {
    return false;
  }

  @Override
  public boolean isBroken(SQLException e) {
    String state = e.getSQLState();
    return state == null || state.startsWith("08") || state.startsWith("57P");
  }
}
