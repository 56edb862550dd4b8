package dev.mpp.ledger.jdbc;

import dev.mpp.client.PaymentRecord;
import dev.mpp.ledger.jdbc.GroupCommitWriter.Refusal;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.ledger.Captures;
import dev.mpp.wallet.ledger.Limit;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a record's rows together with its bucket aggregates, so that the sums {@link WindowSums}
 * reads always equal the counted records: inserts (with their increments), releases (taking a
 * record out) and captures (moving value from holds to a part). Runs inside a batch transaction on
 * the writer thread.
 */
final class RecordWrites {

  private final Dialect dialect;
  private final LedgerSql sql;
  private final RecordRows rows;

  RecordWrites(Dialect dialect, LedgerSql sql, RecordRows rows) {
    this.dialect = dialect;
    this.sql = sql;
    this.rows = rows;
  }

  /**
   * Inserts the records with their bucket increments, one after the other.
   *
   * @return for each, whether it was inserted (false, with nothing written for it, when a record
   *     with its id exists)
   */
  boolean[] insertAll(Session session, List<CapCheck.Reservation> reservations)
      throws SQLException {
    boolean[] inserted = new boolean[reservations.size()];
    for (int k = 0; k < reservations.size(); k++) {
      CapCheck.Reservation r = reservations.get(k);
      inserted[k] = insert(session, r.record(), r.createdNs(), r.assetKey());
    }
    return inserted;
  }

  /**
   * Inserts the record and adds it to its buckets.
   *
   * @return false, with nothing written, when a record with its id exists
   */
  boolean insert(Session session, PaymentRecord record, long createdNs, String assetKey)
      throws SQLException {
    PreparedStatement insert = session.prepare(sql.insert());
    rows.bind(insert, 1, record, createdNs, assetKey);
    if (insert.executeUpdate() == 0) {
      return false;
    }
    PreparedStatement buckets = session.prepare(sql.bucketUpsert(record.fleet() == null ? 1 : 2));
    bindBuckets(buckets, 1, record, createdNs, assetKey);
    buckets.executeUpdate();
    return true;
  }

  /** Binds the bucket rows (7 values each: kind, name, span, start, asset, usd, units). */
  int bindBuckets(
      PreparedStatement statement, int index, PaymentRecord record, long createdNs, String assetKey)
      throws SQLException {
    for (Limit.Scope scope : BucketPlan.scopesOf(record.agent(), record.fleet())) {
      for (int level = 0; level <= BucketPlan.SPANS.length; level++) {
        long span = level < BucketPlan.SPANS.length ? BucketPlan.SPANS[level] : BucketPlan.ALL_TIME;
        long start = span == BucketPlan.ALL_TIME ? 0 : BucketPlan.bucketStart(createdNs, span);
        statement.setString(index++, LedgerSql.kind(scope));
        statement.setString(index++, scope.name());
        statement.setLong(index++, span);
        statement.setLong(index++, start);
        statement.setString(index++, assetKey);
        statement.setLong(index++, record.usdMicros());
        dialect.setUnits(statement, index++, record.amount());
      }
    }
    return index;
  }

  /** Takes a record that stops counting out of every bucket it was counted in. */
  void subtractFromBuckets(Session session, PaymentRecord record) throws SQLException {
    takeFromBuckets(session, sql.bucketSubtract(), record, record.usdMicros(), record.amount());
  }

  /**
   * Captures {@code part} from the holds {@code ids}: plans with {@link Captures} and stores the
   * plan (lowered holds, their buckets, the part).
   *
   * @throws Refusal when the holds cannot cover the part (nothing written)
   */
  PaymentRecord capture(
      Session session, List<String> ids, PaymentRecord part, long createdNs, String assetKey)
      throws SQLException {
    List<PaymentRecord> holds = new ArrayList<>(ids.size());
    for (String id : ids) {
      holds.add(rows.find(session, id));
    }
    Captures.Plan plan;
    try {
      plan = Captures.plan(ids, holds, part);
    } catch (IllegalArgumentException e) {
      throw new Refusal(e);
    }
    for (int i = 0; i < plan.lowered().size(); i++) {
      PaymentRecord lowered = plan.lowered().get(i);
      Captures.Taken taken = plan.taken().get(i);
      PreparedStatement update = session.prepare(LedgerSql.LOWER_HOLD);
      dialect.setUnits(update, 1, lowered.amount());
      update.setLong(2, lowered.usdMicros());
      update.setLong(3, createdNs);
      update.setString(4, lowered.id());
      update.setLong(5, taken.hold().usdMicros());
      dialect.setUnits(update, 6, taken.hold().amount());
      if (update.executeUpdate() != 1) {
        // Another process changed the hold after we read it: roll back and let the batch retry.
        throw new SQLException("hold " + lowered.id() + " changed concurrently", "40001");
      }
      // the capture's share leaves the hold's buckets; the hold still counts as one payment
      takeFromBuckets(session, sql.bucketLower(), taken.hold(), taken.usdMicros(), taken.units());
    }
    if (!insert(session, plan.part(), createdNs, assetKey)) {
      throw new SQLException("a record with id " + part.id() + " already exists", "23505");
    }
    return plan.part();
  }

  /**
   * Takes {@code usdMicros} and {@code units} out of every bucket {@code owner} was counted in,
   * with {@code update} (which also decides what happens to the bucket's count).
   */
  private void takeFromBuckets(
      Session session, String update, PaymentRecord owner, long usdMicros, BigInteger units)
      throws SQLException {
    long createdNs = BucketPlan.toNanos(owner.createdAt(), "createdAt");
    String assetKey = Asset.keyOf(owner);
    PreparedStatement statement = session.prepare(update);
    for (Limit.Scope scope : BucketPlan.scopesOf(owner.agent(), owner.fleet())) {
      for (int level = 0; level <= BucketPlan.SPANS.length; level++) {
        long span = level < BucketPlan.SPANS.length ? BucketPlan.SPANS[level] : BucketPlan.ALL_TIME;
        long start = span == BucketPlan.ALL_TIME ? 0 : BucketPlan.bucketStart(createdNs, span);
        statement.setLong(1, usdMicros);
        dialect.setUnits(statement, 2, units.negate());
        statement.setString(3, LedgerSql.kind(scope));
        statement.setString(4, scope.name());
        statement.setLong(5, span);
        statement.setLong(6, start);
        statement.setString(7, assetKey);
        statement.addBatch();
      }
    }
    for (int count : statement.executeBatch()) {
      if (count != 1 && count != Statement.SUCCESS_NO_INFO) {
        // never create a negative bucket: that would under-count every window it lies in
        throw new SQLException(
            "ledger aggregates are missing a bucket of record " + owner.id(), "XX001");
      }
    }
  }
}
