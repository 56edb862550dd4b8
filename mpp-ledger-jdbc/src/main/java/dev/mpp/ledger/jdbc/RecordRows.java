package dev.mpp.ledger.jdbc;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Maps a {@link PaymentRecord} to the {@link LedgerSql#COLUMNS} of {@code mpp_payment} and back;
 * times are stored as epoch nanoseconds ({@link BucketPlan#toNanos}), amounts as the dialect spells
 * them.
 */
final class RecordRows {

  /** How many columns {@link #bind} binds. */
  static final int COLUMN_COUNT = 23;

  private final Dialect dialect;

  RecordRows(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Binds the {@link #COLUMN_COUNT} columns of {@code r} from {@code at}; returns the next index.
   */
  int bind(PreparedStatement s, int at, PaymentRecord r, long createdNs, String assetKey)
      throws SQLException {
    int o = at - 1;
    s.setString(o + 1, r.id());
    s.setString(o + 2, r.agent());
    s.setString(o + 3, r.fleet());
    s.setLong(o + 4, createdNs);
    s.setLong(o + 5, BucketPlan.toNanos(r.updatedAt(), "updatedAt"));
    s.setString(o + 6, r.url());
    s.setString(o + 7, r.origin());
    s.setString(o + 8, r.realm());
    s.setString(o + 9, r.method());
    s.setString(o + 10, r.intent());
    s.setString(o + 11, r.challengeId());
    dialect.setUnits(s, o + 12, r.amount());
    s.setString(o + 13, r.currency());
    if (r.chainId() == null) {
      s.setNull(o + 14, Types.BIGINT);
    } else {
      s.setLong(o + 14, r.chainId());
    }
    s.setInt(o + 15, r.decimals());
    s.setString(o + 16, assetKey);
    s.setLong(o + 17, r.usdMicros());
    s.setLong(o + 18, r.feeUsdMicros());
    s.setString(o + 19, r.state().name());
    s.setString(o + 20, r.reference());
    s.setString(o + 21, r.receiptHeader());
    s.setString(o + 22, r.rationale());
    s.setString(o + 23, r.detail());
    return o + COLUMN_COUNT + 1;
  }

  /** The record in the current row (selected as {@link LedgerSql#COLUMNS}). */
  PaymentRecord read(ResultSet rows) throws SQLException {
    long chainId = rows.getLong(14);
    Long chain = rows.wasNull() ? null : chainId;
    return new PaymentRecord(
        rows.getString(1),
        rows.getString(2),
        rows.getString(3),
        BucketPlan.fromNanos(rows.getLong(4)),
        BucketPlan.fromNanos(rows.getLong(5)),
        rows.getString(6),
        rows.getString(7),
        rows.getString(8),
        rows.getString(9),
        rows.getString(10),
        rows.getString(11),
        dialect.getUnits(rows, 12),
        rows.getString(13),
        chain,
        rows.getInt(15),
        rows.getLong(17),
        rows.getLong(18),
        PaymentState.valueOf(rows.getString(19)),
        rows.getString(20),
        rows.getString(21),
        rows.getString(22),
        rows.getString(23));
  }

  /** The record with {@code id} read with {@code session}, or null. */
  PaymentRecord find(Session session, String id) throws SQLException {
    PreparedStatement select = session.prepare(LedgerSql.SELECT_BY_ID);
    select.setString(1, id);
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? read(rows) : null;
    }
  }
}
