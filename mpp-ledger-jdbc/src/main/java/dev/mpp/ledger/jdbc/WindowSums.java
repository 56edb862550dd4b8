package dev.mpp.ledger.jdbc;

import dev.mpp.client.PaymentRecord;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Usage;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exact counted spend of budget windows, read from the running aggregates in {@code mpp_bucket}
 * ({@link BucketPlan}): whole buckets where the window covers them, payment rows for the partial
 * second at its start. Several windows are summed in one statement (one round trip), whose text is
 * cached per shape.
 */
final class WindowSums {

  private final Dialect dialect;
  private final Map<String, String> usageSql = new ConcurrentHashMap<>();

  WindowSums(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * One window to sum.
   *
   * @param scope whose records
   * @param since the window start, or null for all time
   * @param assetKey only this asset, or null
   */
  record Window(Limit.Scope scope, Instant since, String assetKey) {
    /** Whether a counted record (of asset {@code recordAssetKey}) falls in this window. */
    boolean counts(PaymentRecord record, String recordAssetKey) {
      return scope.includes(record)
          && (since == null || !record.createdAt().isBefore(since))
          && (assetKey == null || assetKey.equals(recordAssetKey));
    }
  }

  /** Counted spend of {@code scope} since {@code since}, read with {@code session}. */
  Usage usage(Session session, Limit.Scope scope, Instant since, String assetKey)
      throws SQLException {
    return usages(session, List.of(new Window(scope, since, assetKey))).get(0);
  }

  /**
   * Counted spend of each window, in one statement (one round trip): the windows' parts are tagged
   * with their position and summed here.
   */
  List<Usage> usages(Session session, List<Window> windows) throws SQLException {
    List<BucketPlan.Window> plans = new ArrayList<>(windows.size());
    StringBuilder signature = new StringBuilder();
    for (Window window : windows) {
      BucketPlan.Window plan = BucketPlan.window(window.since());
      plans.add(plan);
      signature
          .append(
              plan == null
                  ? '-'
                  : plan.allTime()
                      ? 'A'
                      : window.scope().kind() == Limit.Scope.Kind.AGENT ? 'a' : 'f')
          .append(window.assetKey() != null ? '1' : '0');
    }
    long[] usd = new long[windows.size()];
    long[] count = new long[windows.size()];
    BigInteger[] units = new BigInteger[windows.size()];
    Arrays.fill(units, BigInteger.ZERO);
    String sql = usageSql.computeIfAbsent(signature.toString(), k -> usageSql(windows, plans));
    if (!sql.isEmpty()) {
      PreparedStatement statement = session.prepare(sql);
      int index = 1;
      for (int i = 0; i < windows.size(); i++) {
        if (plans.get(i) != null) {
          index = bindWindow(statement, index, windows.get(i), plans.get(i));
        }
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          int i = rows.getInt(1);
          usd[i] = Math.addExact(usd[i], rows.getLong(2));
          count[i] += rows.getLong(3);
          if (windows.get(i).assetKey() != null) {
            units[i] = units[i].add(dialect.getUnits(rows, 4));
          }
        }
      }
    }
    List<Usage> out = new ArrayList<>(windows.size());
    for (int i = 0; i < windows.size(); i++) {
      out.add(
          usd[i] == 0 && count[i] == 0 && units[i].signum() == 0
              ? Usage.NONE
              : new Usage(usd[i], count[i], units[i]));
    }
    return out;
  }

  private static int bindWindow(
      PreparedStatement statement, int index, Window window, BucketPlan.Window plan)
      throws SQLException {
    Limit.Scope scope = window.scope();
    String assetKey = window.assetKey();
    if (plan.allTime()) {
      statement.setString(index++, LedgerSql.kind(scope));
      statement.setString(index++, scope.name());
      if (assetKey != null) {
        statement.setString(index++, assetKey);
      }
      return index;
    }
    long[] edges = plan.edges();
    for (int level = 0; level < BucketPlan.SPANS.length; level++) {
      statement.setString(index++, LedgerSql.kind(scope));
      statement.setString(index++, scope.name());
      statement.setLong(index++, edges[level + 1]);
      if (level + 1 < BucketPlan.SPANS.length) {
        statement.setLong(index++, edges[level + 2]);
      }
      if (assetKey != null) {
        statement.setString(index++, assetKey);
      }
    }
    statement.setString(index++, scope.name());
    statement.setLong(index++, edges[0]);
    statement.setLong(index++, edges[1]);
    if (assetKey != null) {
      statement.setString(index++, assetKey);
    }
    return index;
  }

  private static String usageSql(List<Window> windows, List<BucketPlan.Window> plans) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < windows.size(); i++) {
      BucketPlan.Window plan = plans.get(i);
      if (plan == null) {
        continue;
      }
      String asset = windows.get(i).assetKey() != null ? " AND asset_key = ?" : "";
      String select = "SELECT " + i + " AS w, usd_micros, pay_count, units FROM mpp_bucket";
      if (plan.allTime()) {
        sql.append(sql.length() == 0 ? "" : " UNION ALL ")
            .append(select)
            .append(" WHERE scope_kind = ? AND scope_name = ? AND span = ")
            .append(BucketPlan.ALL_TIME)
            .append(asset);
        continue;
      }
      for (int level = 0; level < BucketPlan.SPANS.length; level++) {
        sql.append(sql.length() == 0 ? "" : " UNION ALL ")
            .append(select)
            .append(" WHERE scope_kind = ? AND scope_name = ? AND span = ")
            .append(BucketPlan.SPANS[level])
            .append(" AND start_ns >= ?");
        if (level + 1 < BucketPlan.SPANS.length) {
          sql.append(" AND start_ns < ?");
        }
        sql.append(asset);
      }
      boolean agent = windows.get(i).scope().kind() == Limit.Scope.Kind.AGENT;
      sql.append(" UNION ALL SELECT ")
          .append(i)
          .append(", usd_micros, 1, amount FROM mpp_payment WHERE ")
          .append(agent ? "agent" : "fleet")
          .append(" = ? AND created_ns >= ? AND created_ns < ? AND state <> 'RELEASED'")
          .append(asset);
    }
    return sql.toString();
  }
}
