package dev.mpp.ledger.jdbc;

import dev.mpp.client.PaymentState;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.PaymentStateMachine;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The statements of the ledger's data (the schema is {@link LedgerSchema}'s): one place to read
 * every SQL text the stores send. Conditional updates take their allowed source states from {@link
 * PaymentStateMachine}, so the lifecycle is not restated in SQL.
 */
final class LedgerSql {

  /** The payment columns, in the order {@link RecordRows} binds and reads them. */
  static final String COLUMNS =
      "id, agent, fleet, created_ns, updated_ns, url, origin, realm, method, intent, challenge_id,"
          + " amount, currency, chain_id, decimals, asset_key, usd_micros, fee_usd_micros, state,"
          + " reference, receipt_header, rationale, detail";

  static final String SELECT_BY_ID = "SELECT " + COLUMNS + " FROM mpp_payment WHERE id = ?";

  /** Moves a record from the state it was read in (optimistic: 0 rows when it moved meanwhile). */
  static final String UPDATE_STATE =
      "UPDATE mpp_payment SET state = ?, updated_ns = ?, reference = ?, receipt_header = ?,"
          + " detail = ? WHERE id = ? AND state = ?";

  /** Lowers a hold's amount and value, if it is still HELD with the amounts it was read with. */
  static final String LOWER_HOLD =
      "UPDATE mpp_payment SET amount = ?, usd_micros = ?, updated_ns = ? WHERE id = ?"
          + " AND state = 'HELD' AND usd_micros = ? AND amount = ?";

  /**
   * The states a batch of transitions moves with one conditional update: those that keep a record
   * counted (no bucket changes) and that some state may move to.
   */
  static final Set<PaymentState> BATCHED_TARGETS = batchedTargets();

  /**
   * Moves a record to the bound state if the lifecycle allows it from its current one; binds state,
   * updated_ns, reference, receipt, detail, id, then the target state once per {@link
   * #BATCHED_TARGETS} entry.
   */
  static final String BATCH_TRANSITION = batchTransition();

  private static final String SET_STATE =
      "UPDATE mpp_payment SET state = ?, updated_ns = ?,"
          + " reference = COALESCE(?, reference), receipt_header = COALESCE(?, receipt_header),"
          + " detail = COALESCE(?, detail)";

  private static final Map<PaymentState, String> FAST_TRANSITION = fastTransitions();

  private final String insert;
  private final String[] bucketUpsert = new String[3];
  private final String bucketSubtract;
  private final String bucketLower;

  LedgerSql(Dialect dialect) {
    this.insert =
        "INSERT INTO mpp_payment ("
            + COLUMNS
            + ") VALUES ("
            + "?, ".repeat(RecordRows.COLUMN_COUNT - 1)
            + "?) ON CONFLICT (id) DO NOTHING";
    for (int scopes = 1; scopes <= 2; scopes++) {
      StringBuilder sql =
          new StringBuilder(
              "INSERT INTO mpp_bucket (scope_kind, scope_name, span, start_ns, asset_key,"
                  + " usd_micros, pay_count, units) VALUES ");
      int rows = scopes * (BucketPlan.SPANS.length + 1);
      for (int i = 0; i < rows; i++) {
        sql.append(i == 0 ? "" : ", ")
            .append("(?, ?, ?, ?, ?, ?, 1, ")
            .append(dialect.unitsParam())
            .append(')');
      }
      sql.append(
              " ON CONFLICT (scope_kind, scope_name, span, start_ns, asset_key) DO UPDATE SET"
                  + " usd_micros = mpp_bucket.usd_micros + excluded.usd_micros,"
                  + " pay_count = mpp_bucket.pay_count + excluded.pay_count, units = ")
          .append(dialect.addUnits("mpp_bucket.units", "excluded.units"));
      bucketUpsert[scopes] = sql.toString();
    }
    String bucketKey =
        " WHERE scope_kind = ? AND scope_name = ? AND span = ? AND start_ns = ? AND asset_key = ?";
    this.bucketSubtract =
        "UPDATE mpp_bucket SET usd_micros = usd_micros - ?, pay_count = pay_count - 1, units = "
            + dialect.addUnits("units", dialect.unitsParam())
            + bucketKey;
    this.bucketLower =
        "UPDATE mpp_bucket SET usd_micros = usd_micros - ?, units = "
            + dialect.addUnits("units", dialect.unitsParam())
            + bucketKey;
  }

  /** Inserts a payment unless its id exists (binds {@link RecordRows}' columns). */
  String insert() {
    return insert;
  }

  /**
   * Adds a record to its buckets, creating missing ones: 7 values per row (kind, name, span, start,
   * asset, usd, units), one row per span and scope.
   *
   * @param scopes 1 for an agent alone, 2 for an agent and its fleet
   */
  String bucketUpsert(int scopes) {
    return bucketUpsert[scopes];
  }

  /** Takes a record out of a bucket (usd, units, then the bucket key), count included. */
  String bucketSubtract() {
    return bucketSubtract;
  }

  /** Takes part of a record's value out of a bucket, count unchanged (binds as subtract). */
  String bucketLower() {
    return bucketLower;
  }

  /**
   * Moves a record to {@code to} if the lifecycle allows it from its current state, returning the
   * moved row; null when no state may move to {@code to}.
   */
  static String fastTransition(PaymentState to) {
    return FAST_TRANSITION.get(to);
  }

  /** Selects the records of {@code count} bound ids. */
  static String selectByIds(int count) {
    return "SELECT " + COLUMNS + " FROM mpp_payment WHERE id IN (?" + ", ?".repeat(count - 1) + ")";
  }

  /** A statement and its arguments, in order. */
  record Select(String sql, List<Object> args) {}

  /**
   * The select of {@code query}, oldest first (insertion order among equal times), or null when no
   * storable record can match.
   */
  static Select select(LedgerQuery query) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM mpp_payment WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (query.agent() != null) {
      sql.append(" AND agent = ?");
      args.add(query.agent());
    }
    if (query.fleet() != null) {
      sql.append(" AND fleet = ?");
      args.add(query.fleet());
    }
    if (query.from() != null) {
      if (!query.from().isAfter(BucketPlan.MIN)) {
        // every stored record is at or after MIN
      } else if (!query.from().isBefore(BucketPlan.MAX)) {
        return null;
      } else {
        sql.append(" AND created_ns >= ?");
        args.add(BucketPlan.toNanos(query.from(), "from"));
      }
    }
    if (query.to() != null) {
      if (!query.to().isAfter(BucketPlan.MIN)) {
        return null;
      } else if (query.to().isBefore(BucketPlan.MAX)) {
        sql.append(" AND created_ns < ?");
        args.add(BucketPlan.toNanos(query.to(), "to"));
      }
    }
    if (query.state() != null) {
      sql.append(" AND state = ?");
      args.add(query.state().name());
    }
    sql.append(" ORDER BY created_ns, seq");
    if (query.limit() > 0) {
      sql.append(" LIMIT ").append(query.limit());
    }
    return new Select(sql.toString(), args);
  }

  /** The {@code scope_kind} spelling of a scope. */
  static String kind(Limit.Scope scope) {
    return scope.kind().name().toLowerCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------- from the state machine

  private static Set<PaymentState> batchedTargets() {
    Set<PaymentState> targets = EnumSet.noneOf(PaymentState.class);
    for (PaymentState to : PaymentState.values()) {
      if (to.counts() && !PaymentStateMachine.sourcesOf(to).isEmpty()) {
        targets.add(to);
      }
    }
    return targets;
  }

  private static String batchTransition() {
    StringBuilder sql = new StringBuilder(SET_STATE).append(" WHERE id = ? AND (");
    String or = "";
    for (PaymentState to : BATCHED_TARGETS) {
      sql.append(or).append("(? = '").append(to.name()).append("' AND state IN ");
      sql.append(inList(PaymentStateMachine.sourcesOf(to))).append(')');
      or = " OR ";
    }
    return sql.append(')').toString();
  }

  private static Map<PaymentState, String> fastTransitions() {
    Map<PaymentState, String> out = new EnumMap<>(PaymentState.class);
    for (PaymentState to : PaymentState.values()) {
      Set<PaymentState> from = PaymentStateMachine.sourcesOf(to);
      if (!from.isEmpty()) {
        out.put(
            to, SET_STATE + " WHERE id = ? AND state IN " + inList(from) + " RETURNING " + COLUMNS);
      }
    }
    return out;
  }

  private static String inList(Set<PaymentState> states) {
    return states.stream()
        .map(state -> "'" + state.name() + "'")
        .collect(Collectors.joining(", ", "(", ")"));
  }
}
