package dev.mpp.ledger.jdbc;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.ledger.jdbc.GroupCommitWriter.Refusal;
import dev.mpp.ledger.jdbc.GroupCommitWriter.Task;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.ledger.Captures;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Reserved;
import dev.mpp.wallet.ledger.Usage;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ledger over JDBC, shared by the SQLite and PostgreSQL stores: one schema, one write path
 * ({@link GroupCommitWriter}), exact window sums from running aggregates ({@link BucketPlan}).
 * Subclasses supply connections, transaction boundaries, scope locking and the few SQL spellings
 * that differ.
 */
abstract class JdbcLedgerStore implements LedgerStore {

  /** The payment columns, in the order {@link #insertSql} binds and {@link #read} reads them. */
  static final String COLUMNS =
      "id, agent, fleet, created_ns, updated_ns, url, origin, realm, method, intent, challenge_id,"
          + " amount, currency, chain_id, decimals, asset_key, usd_micros, fee_usd_micros, state,"
          + " reference, receipt_header, rationale, detail";

  private static final String SELECT_BY_ID = "SELECT " + COLUMNS + " FROM mpp_payment WHERE id = ?";

  private static final String UPDATE_STATE =
      "UPDATE mpp_payment SET state = ?, updated_ns = ?, reference = ?, receipt_header = ?,"
          + " detail = ? WHERE id = ? AND state = ?";

  private static final String LOWER_HOLD =
      "UPDATE mpp_payment SET amount = ?, usd_micros = ?, updated_ns = ? WHERE id = ?"
          + " AND state = 'HELD' AND usd_micros = ? AND amount = ?";

  private static final int MAX_BATCH = 64;
  private static final int RETRIES = 5;

  private static final Comparator<Limit.Scope> SCOPE_ORDER =
      Comparator.comparing((Limit.Scope s) -> s.kind()).thenComparing(Limit.Scope::name);

  private final ConnectionSource readers;
  private final GroupCommitWriter writer;
  private final String insertSql;
  private final String[] bucketUpsertSql = new String[3];
  private final String bucketSubtractSql;
  private final String bucketLowerSql;
  private final Map<String, String> usageSql = new ConcurrentHashMap<>();
  private volatile boolean closed;

  JdbcLedgerStore(ConnectionSource readers, String writerName) {
    this.readers = readers;
    this.insertSql =
        "INSERT INTO mpp_payment ("
            + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO NOTHING";
    for (int scopes = 1; scopes <= 2; scopes++) {
      StringBuilder sql =
          new StringBuilder(
              "INSERT INTO mpp_bucket (scope_kind, scope_name, span, start_ns, asset_key,"
                  + " usd_micros, pay_count, units) VALUES ");
      int rows = scopes * (BucketPlan.SPANS.length + 1);
      for (int i = 0; i < rows; i++) {
        sql.append(i == 0 ? "" : ", ")
            .append("(?, ?, ?, ?, ?, ?, 1, ")
            .append(unitsParam())
            .append(')');
      }
      sql.append(
              " ON CONFLICT (scope_kind, scope_name, span, start_ns, asset_key) DO UPDATE SET"
                  + " usd_micros = mpp_bucket.usd_micros + excluded.usd_micros,"
                  + " pay_count = mpp_bucket.pay_count + excluded.pay_count, units = ")
          .append(addUnits("mpp_bucket.units", "excluded.units"));
      bucketUpsertSql[scopes] = sql.toString();
    }
    this.bucketSubtractSql =
        "UPDATE mpp_bucket SET usd_micros = usd_micros - ?, pay_count = pay_count - 1, units = "
            + addUnits("units", unitsParam())
            + " WHERE scope_kind = ? AND scope_name = ? AND span = ? AND start_ns = ?"
            + " AND asset_key = ?";
    this.bucketLowerSql =
        "UPDATE mpp_bucket SET usd_micros = usd_micros - ?, units = "
            + addUnits("units", unitsParam())
            + " WHERE scope_kind = ? AND scope_name = ? AND span = ? AND start_ns = ?"
            + " AND asset_key = ?";
    this.writer = new GroupCommitWriter(writerName, this::runBatch, MAX_BATCH);
  }

  // ---------------------------------------------------------------- dialect hooks

  /** A session for one write batch. */
  abstract Session writeSession() throws SQLException;

  /** Gives back the session of a write batch. */
  abstract void releaseWriteSession(Session session, boolean broken);

  /** Starts the batch transaction (taking the write lock where the database has one). */
  abstract void begin(Session session) throws SQLException;

  /** Commits the batch transaction. */
  abstract void commit(Session session) throws SQLException;

  /** Rolls the batch transaction back, ignoring failures (the connection is discarded then). */
  abstract void rollback(Session session);

  /**
   * Serializes writers of the same budget scopes across processes, in {@code scopes} order (which
   * is the same total order everywhere, so concurrent batches cannot deadlock).
   */
  abstract void lockScopes(Session session, Collection<Limit.Scope> scopes) throws SQLException;

  /** Whether writes must name their scopes up front ({@link #lockScopes} does something). */
  abstract boolean locksScopes();

  /** Creates whatever {@link #lockScopes} needs for {@code scopes}, outside any batch. */
  void prepareScopes(Collection<Limit.Scope> scopes) {}

  /** The SQL placeholder for a units value ({@code ?}, with a cast where needed). */
  abstract String unitsParam();

  /** The SQL expression adding two units values. */
  abstract String addUnits(String left, String right);

  /** Binds a units value. */
  abstract void setUnits(PreparedStatement statement, int index, BigInteger units)
      throws SQLException;

  /** Reads a units value. */
  abstract BigInteger getUnits(ResultSet rows, int column) throws SQLException;

  /** Whether a failed batch may simply run again (deadlock victim, serialization failure). */
  abstract boolean isTransient(SQLException e);

  /** Whether the database is locked by others: running writes one by one would not help. */
  abstract boolean isBusy(SQLException e);

  /** Whether the connection must not be reused after {@code e}. */
  abstract boolean isBroken(SQLException e);

  /** Closes the write path's own resources after the writer stopped. */
  abstract void closeWriteResources();

  // ---------------------------------------------------------------- LedgerStore

  @Override
  public Reserved reserve(PaymentRecord record, List<Limit> limits) {
    Objects.requireNonNull(record, "record");
    List<Limit> checked = List.copyOf(Objects.requireNonNull(limits, "limits"));
    if (record.state() != PaymentState.HELD) {
      throw new IllegalArgumentException("a reservation starts HELD, not " + record.state());
    }
    if (record.usdMicros() < 0 || record.feeUsdMicros() < 0) {
      throw new IllegalArgumentException("usdMicros and feeUsdMicros must not be negative");
    }
    long createdNs = BucketPlan.toNanos(record.createdAt(), "createdAt");
    BucketPlan.toNanos(record.updatedAt(), "updatedAt");
    String assetKey = assetKey(record);
    Set<Limit.Scope> scopes = scopesOf(record.agent(), record.fleet());
    ensureOpen();
    prepareScopes(scopes);
    return writer.submitInput(new Reservation(record, createdNs, assetKey, checked), scopes);
  }

  @Override
  public PaymentRecord transition(
      String id,
      PaymentState state,
      String reference,
      String receiptHeader,
      String detail,
      Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(at, "at");
    long atNs = BucketPlan.toNanos(at, "at");
    ensureOpen();
    if (state == PaymentState.PAID || state == PaymentState.UNKNOWN) {
      // no counted amount changes: no scope lock, and the batch moves all of these together
      return writer.submitInput(
          new Transition(id, state, reference, receiptHeader, detail, atNs), Set.of());
    }
    Set<Limit.Scope> scopes = Set.of();
    if (state == PaymentState.RELEASED && locksScopes()) {
      // agent and fleet never change, so reading them outside the batch is safe
      PaymentRecord current = find(id).orElseThrow(() -> noSuchRecord(id));
      scopes = scopesOf(current.agent(), current.fleet());
    }
    return writer.submit(
        session -> transitionInBatch(session, id, state, reference, receiptHeader, detail, atNs),
        scopes);
  }

  @Override
  public PaymentRecord capture(List<String> holdIds, PaymentRecord part) {
    List<String> ids = List.copyOf(Objects.requireNonNull(holdIds, "holdIds"));
    Captures.requireValidPart(part);
    long createdNs = BucketPlan.toNanos(part.createdAt(), "createdAt");
    BucketPlan.toNanos(part.updatedAt(), "updatedAt");
    String assetKey = assetKey(part);
    Set<Limit.Scope> scopes = scopesOf(part.agent(), part.fleet());
    ensureOpen();
    prepareScopes(scopes);
    return writer.submit(
        session -> captureInBatch(session, ids, part, createdNs, assetKey), scopes);
  }

  @Override
  public Optional<PaymentRecord> find(String id) {
    Objects.requireNonNull(id, "id");
    return read(
        "find",
        session -> {
          PreparedStatement statement = session.prepare(SELECT_BY_ID);
          statement.setString(1, id);
          try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(record(rows)) : Optional.empty();
          }
        });
  }

  @Override
  public List<PaymentRecord> query(LedgerQuery query) {
    Objects.requireNonNull(query, "query");
    if (query.limit() < 0) {
      throw new IllegalArgumentException("limit must not be negative");
    }
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
        return List.of();
      } else {
        sql.append(" AND created_ns >= ?");
        args.add(BucketPlan.toNanos(query.from(), "from"));
      }
    }
    if (query.to() != null) {
      if (!query.to().isAfter(BucketPlan.MIN)) {
        return List.of();
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
    return read(
        "query",
        session -> {
          PreparedStatement statement = session.prepare(sql.toString());
          for (int i = 0; i < args.size(); i++) {
            statement.setObject(i + 1, args.get(i));
          }
          List<PaymentRecord> out = new ArrayList<>();
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              out.add(record(rows));
            }
          }
          return out;
        });
  }

  @Override
  public Usage usage(Limit.Scope scope, Instant since, String assetKey) {
    Objects.requireNonNull(scope, "scope");
    return read("usage", session -> usage(session, scope, since, assetKey));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.close();
    closeWriteResources();
    readers.close();
  }

  /** Writes and batches committed so far: {@code {writes, batches}} (benchmark report). */
  final long[] writerStats() {
    return new long[] {writer.writes(), writer.batches()};
  }

  // ---------------------------------------------------------------- writes (writer thread)

  /** A commit or UNKNOWN mark waiting in the writer's queue. */
  record Transition(
      String id,
      PaymentState state,
      String reference,
      String receiptHeader,
      String detail,
      long atNs) {}

  private static final String BATCH_TRANSITION =
      "UPDATE mpp_payment SET state = ?, updated_ns = ?,"
          + " reference = COALESCE(?, reference), receipt_header = COALESCE(?, receipt_header),"
          + " detail = COALESCE(?, detail)"
          + " WHERE id = ? AND (state = 'HELD' OR (state = 'UNKNOWN' AND ? = 'PAID'))";

  /**
   * Moves the batch's commits and UNKNOWN marks with one JDBC batch of conditional updates and one
   * read of the moved records; the few that did not move (already there, forbidden, unknown id, or
   * named twice in the batch) take the one-by-one path, which decides and explains.
   */
  private void transitionAll(
      Session session, List<Task<?>> batch, Object[] results, RuntimeException[] refusals)
      throws SQLException {
    List<Integer> fast = new ArrayList<>();
    List<Integer> slow = new ArrayList<>();
    Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i).input instanceof Transition t) {
        (ids.add(t.id()) ? fast : slow).add(i);
      }
    }
    if (fast.isEmpty()) {
      return;
    }
    PreparedStatement update = session.prepare(BATCH_TRANSITION);
    for (int i : fast) {
      Transition t = (Transition) batch.get(i).input;
      update.setString(1, t.state().name());
      update.setLong(2, t.atNs());
      update.setString(3, t.reference());
      update.setString(4, t.receiptHeader());
      update.setString(5, t.detail());
      update.setString(6, t.id());
      update.setString(7, t.state().name());
      update.addBatch();
    }
    int[] counts = update.executeBatch();
    List<Integer> moved = new ArrayList<>();
    for (int n = 0; n < counts.length; n++) {
      (counts[n] == 0 ? slow : moved).add(fast.get(n));
    }
    if (!moved.isEmpty()) {
      PreparedStatement select =
          session.prepare(
              "SELECT "
                  + COLUMNS
                  + " FROM mpp_payment WHERE id IN (?"
                  + ", ?".repeat(moved.size() - 1)
                  + ")");
      Map<String, PaymentRecord> byId = new HashMap<>();
      for (int n = 0; n < moved.size(); n++) {
        select.setString(n + 1, ((Transition) batch.get(moved.get(n)).input).id());
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          PaymentRecord record = record(rows);
          byId.put(record.id(), record);
        }
      }
      for (int i : moved) {
        results[i] = byId.get(((Transition) batch.get(i).input).id());
      }
    }
    slow.sort(null);
    for (int i : slow) {
      Transition t = (Transition) batch.get(i).input;
      try {
        results[i] =
            transitionInBatch(
                session, t.id(), t.state(), t.reference(), t.receiptHeader(), t.detail(), t.atNs());
      } catch (Refusal refusal) {
        refusals[i] = refusal.reason();
      }
    }
  }

  /** A reservation waiting in the writer's queue. */
  record Reservation(PaymentRecord record, long createdNs, String assetKey, List<Limit> limits) {}

  /**
   * Decides every reservation of a batch with one read of all their windows (under the batch's
   * locks), adding the reservations accepted earlier in the batch in memory, then inserts the
   * accepted ones together. Exact: each reservation sees the committed spend plus everything before
   * it in the batch.
   */
  private void reserveAll(
      Session session, List<Task<?>> batch, Object[] results, RuntimeException[] refusals)
      throws SQLException {
    List<Window> windows = new ArrayList<>();
    for (Task<?> task : batch) {
      if (task.input instanceof Reservation reservation) {
        for (Limit limit : reservation.limits()) {
          Window window = new Window(limit.scope(), limit.since(), limit.assetKey());
          if (!windows.contains(window)) {
            windows.add(window);
          }
        }
      }
    }
    List<Usage> sums = windows.isEmpty() ? List.of() : usages(session, windows);
    List<Reservation> accepted = new ArrayList<>();
    List<Integer> acceptedTasks = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      if (!(batch.get(i).input instanceof Reservation reservation)) {
        continue;
      }
      PaymentRecord record = reservation.record();
      List<Reserved.LimitUsage> usages = new ArrayList<>(reservation.limits().size());
      for (Limit limit : reservation.limits()) {
        Window window = new Window(limit.scope(), limit.since(), limit.assetKey());
        Usage before = sums.get(windows.indexOf(window));
        for (Reservation earlier : accepted) {
          if (window.counts(earlier.record(), earlier.assetKey())) {
            before =
                before.plus(
                    earlier.record().usdMicros(),
                    window.assetKey() == null ? BigInteger.ZERO : earlier.record().amount());
          }
        }
        Optional<PaymentDeniedException> denial = limit.check(before, record);
        if (denial.isPresent()) {
          refusals[i] = denial.get();
          break;
        }
        usages.add(new Reserved.LimitUsage(limit, before));
      }
      if (refusals[i] == null) {
        accepted.add(reservation);
        acceptedTasks.add(i);
        results[i] = new Reserved(record, usages);
      }
    }
    if (accepted.isEmpty()) {
      return;
    }
    boolean[] inserted = insertAll(session, accepted);
    for (int k = 0; k < accepted.size(); k++) {
      if (!inserted[k]) {
        // Counted above for the reservations after it: at worst one of them was denied early.
        int i = acceptedTasks.get(k);
        results[i] = null;
        refusals[i] =
            new IllegalArgumentException(
                "a record with id " + accepted.get(k).record().id() + " already exists");
      }
    }
  }

  /**
   * Inserts the records with their bucket increments.
   *
   * @return for each, whether it was inserted (false, with nothing written for it, when a record
   *     with its id exists)
   */
  boolean[] insertAll(Session session, List<Reservation> reservations) throws SQLException {
    boolean[] inserted = new boolean[reservations.size()];
    for (int k = 0; k < reservations.size(); k++) {
      Reservation r = reservations.get(k);
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
    PreparedStatement insert = session.prepare(insertSql);
    bindRecord(insert, 1, record, createdNs, assetKey);
    if (insert.executeUpdate() == 0) {
      return false;
    }
    PreparedStatement buckets = session.prepare(bucketUpsertSql[record.fleet() == null ? 1 : 2]);
    bindBuckets(buckets, 1, record, createdNs, assetKey);
    buckets.executeUpdate();
    return true;
  }

  /** Binds the bucket rows (7 values each: kind, name, span, start, asset, usd, units). */
  final int bindBuckets(
      PreparedStatement statement, int index, PaymentRecord record, long createdNs, String assetKey)
      throws SQLException {
    for (Limit.Scope scope : scopesOf(record.agent(), record.fleet())) {
      for (int level = 0; level <= BucketPlan.SPANS.length; level++) {
        long span = level < BucketPlan.SPANS.length ? BucketPlan.SPANS[level] : BucketPlan.ALL_TIME;
        long start = span == BucketPlan.ALL_TIME ? 0 : BucketPlan.bucketStart(createdNs, span);
        statement.setString(index++, kind(scope));
        statement.setString(index++, scope.name());
        statement.setLong(index++, span);
        statement.setLong(index++, start);
        statement.setString(index++, assetKey);
        statement.setLong(index++, record.usdMicros());
        setUnits(statement, index++, record.amount());
      }
    }
    return index;
  }

  private PaymentRecord captureInBatch(
      Session session, List<String> ids, PaymentRecord part, long createdNs, String assetKey)
      throws SQLException {
    List<PaymentRecord> holds = new ArrayList<>(ids.size());
    for (String id : ids) {
      PreparedStatement select = session.prepare(SELECT_BY_ID);
      select.setString(1, id);
      try (ResultSet rows = select.executeQuery()) {
        holds.add(rows.next() ? record(rows) : null);
      }
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
      PreparedStatement update = session.prepare(LOWER_HOLD);
      setUnits(update, 1, lowered.amount());
      update.setLong(2, lowered.usdMicros());
      update.setLong(3, createdNs);
      update.setString(4, lowered.id());
      update.setLong(5, taken.hold().usdMicros());
      setUnits(update, 6, taken.hold().amount());
      if (update.executeUpdate() != 1) {
        // Another process changed the hold after we read it: roll back and let the batch retry.
        throw new SQLException("hold " + lowered.id() + " changed concurrently", "40001");
      }
      lowerBuckets(session, taken);
    }
    if (!insert(session, plan.part(), createdNs, assetKey)) {
      throw new SQLException("a record with id " + part.id() + " already exists", "23505");
    }
    return plan.part();
  }

  /** Takes a capture's share out of the buckets of the hold it came from (count unchanged). */
  private void lowerBuckets(Session session, Captures.Taken taken) throws SQLException {
    takeFromBuckets(session, bucketLowerSql, taken.hold(), taken.usdMicros(), taken.units());
  }

  private PaymentRecord transitionInBatch(
      Session session,
      String id,
      PaymentState state,
      String reference,
      String receiptHeader,
      String detail,
      long atNs)
      throws SQLException {
    if (state != PaymentState.HELD) {
      // the common case in one statement: move from a state that allows it
      PreparedStatement fast = session.prepare(fastTransitionSql(state));
      fast.setString(1, state.name());
      fast.setLong(2, atNs);
      fast.setString(3, reference);
      fast.setString(4, receiptHeader);
      fast.setString(5, detail);
      fast.setString(6, id);
      PaymentRecord moved = null;
      try (ResultSet rows = fast.executeQuery()) {
        if (rows.next()) {
          moved = record(rows);
        }
      }
      if (moved != null) {
        if (!state.counts()) {
          // every state a record can leave for RELEASED (HELD, UNKNOWN) counts
          subtractFromBuckets(session, moved);
        }
        return moved;
      }
    }
    for (int attempt = 0; ; attempt++) {
      PreparedStatement select = session.prepare(SELECT_BY_ID);
      select.setString(1, id);
      PaymentRecord current;
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          throw new Refusal(noSuchRecord(id));
        }
        current = record(rows);
      }
      if (current.state() == state) {
        return current;
      }
      if (!allowed(current.state(), state)) {
        throw new Refusal(
            new IllegalStateException(
                "record " + id + " cannot move from " + current.state() + " to " + state));
      }
      PaymentRecord next =
          current.withState(
              state,
              reference != null ? reference : current.reference(),
              receiptHeader != null ? receiptHeader : current.receiptHeader(),
              detail != null ? detail : current.detail(),
              BucketPlan.fromNanos(atNs));
      PreparedStatement update = session.prepare(UPDATE_STATE);
      update.setString(1, state.name());
      update.setLong(2, atNs);
      update.setString(3, next.reference());
      update.setString(4, next.receiptHeader());
      update.setString(5, next.detail());
      update.setString(6, id);
      update.setString(7, current.state().name());
      if (update.executeUpdate() == 1) {
        if (current.state().counts() && !state.counts()) {
          subtractFromBuckets(session, current);
        }
        return next;
      }
      // Another process moved the record between our read and our update (PostgreSQL only: the
      // conditional update waited for it); decide again on what it left.
      if (attempt >= RETRIES) {
        throw new SQLException("record " + id + " keeps changing under concurrent transitions");
      }
    }
  }

  private static String fastTransitionSql(PaymentState to) {
    String from = to == PaymentState.UNKNOWN ? "('HELD')" : "('HELD', 'UNKNOWN')";
    return "UPDATE mpp_payment SET state = ?, updated_ns = ?,"
        + " reference = COALESCE(?, reference), receipt_header = COALESCE(?, receipt_header),"
        + " detail = COALESCE(?, detail) WHERE id = ? AND state IN "
        + from
        + " RETURNING "
        + COLUMNS;
  }

  private void subtractFromBuckets(Session session, PaymentRecord record) throws SQLException {
    takeFromBuckets(session, bucketSubtractSql, record, record.usdMicros(), record.amount());
  }

  /**
   * Takes {@code usdMicros} and {@code units} out of every bucket {@code owner} was counted in,
   * with {@code sql} (which also decides what happens to the bucket's count).
   */
  private void takeFromBuckets(
      Session session, String sql, PaymentRecord owner, long usdMicros, BigInteger units)
      throws SQLException {
    long createdNs = BucketPlan.toNanos(owner.createdAt(), "createdAt");
    String assetKey = assetKey(owner);
    PreparedStatement update = session.prepare(sql);
    for (Limit.Scope scope : scopesOf(owner.agent(), owner.fleet())) {
      for (int level = 0; level <= BucketPlan.SPANS.length; level++) {
        long span = level < BucketPlan.SPANS.length ? BucketPlan.SPANS[level] : BucketPlan.ALL_TIME;
        long start = span == BucketPlan.ALL_TIME ? 0 : BucketPlan.bucketStart(createdNs, span);
        update.setLong(1, usdMicros);
        setUnits(update, 2, units.negate());
        update.setString(3, kind(scope));
        update.setString(4, scope.name());
        update.setLong(5, span);
        update.setLong(6, start);
        update.setString(7, assetKey);
        update.addBatch();
      }
    }
    for (int count : update.executeBatch()) {
      if (count != 1 && count != java.sql.Statement.SUCCESS_NO_INFO) {
        // never create a negative bucket: that would under-count every window it lies in
        throw new SQLException(
            "ledger aggregates are missing a bucket of record " + owner.id(), "XX001");
      }
    }
  }

  private static boolean allowed(PaymentState from, PaymentState to) {
    return switch (from) {
      case HELD -> to != PaymentState.HELD;
      case UNKNOWN -> to == PaymentState.PAID || to == PaymentState.RELEASED;
      case PAID, RELEASED -> false;
    };
  }

  /** Runs one batch and settles every task of it; called on the writer thread only. */
  private void runBatch(List<Task<?>> batch) {
    for (int attempt = 0; ; attempt++) {
      Exception failed = tryBatch(batch);
      if (failed == null) {
        return;
      }
      SQLException sql = failed instanceof SQLException s ? s : null;
      if (sql != null && isTransient(sql) && attempt < RETRIES) {
        continue;
      }
      if (batch.size() > 1 && (sql == null || !isBusy(sql))) {
        // one bad write must not fail the others: run each alone
        for (Task<?> task : batch) {
          runBatch(List.of(task));
        }
        return;
      }
      RuntimeException failure = failure("ledger write failed: " + failed.getMessage(), failed);
      for (Task<?> task : batch) {
        task.fail(failure);
      }
      return;
    }
  }

  /** One transaction for {@code batch}: settles the tasks and returns null, or the failure. */
  private Exception tryBatch(List<Task<?>> batch) {
    Session session = null;
    boolean broken = false;
    try {
      session = writeSession();
      begin(session);
      if (locksScopes()) {
        TreeSet<Limit.Scope> scopes = new TreeSet<>(SCOPE_ORDER);
        for (Task<?> task : batch) {
          scopes.addAll(task.scopes);
        }
        if (!scopes.isEmpty()) {
          lockScopes(session, scopes);
        }
      }
      Object[] results = new Object[batch.size()];
      RuntimeException[] refusals = new RuntimeException[batch.size()];
      reserveAll(session, batch, results, refusals);
      transitionAll(session, batch, results, refusals);
      for (int i = 0; i < batch.size(); i++) {
        if (batch.get(i).write == null) {
          continue;
        }
        try {
          results[i] = batch.get(i).write.apply(session);
        } catch (Refusal refusal) {
          refusals[i] = refusal.reason();
        }
      }
      commit(session);
      for (int i = 0; i < batch.size(); i++) {
        if (refusals[i] != null) {
          batch.get(i).fail(refusals[i]);
        } else {
          batch.get(i).succeed(results[i]);
        }
      }
      return null;
    } catch (SQLException | RuntimeException e) {
      if (session != null) {
        rollback(session);
      }
      broken = !(e instanceof SQLException sql) || isBroken(sql);
      return e;
    } finally {
      if (session != null) {
        releaseWriteSession(session, broken);
      }
    }
  }

  // ---------------------------------------------------------------- reads

  /** A read on a pooled session. */
  @FunctionalInterface
  interface Read<T> {
    T apply(Session session) throws SQLException;
  }

  private <T> T read(String what, Read<T> read) {
    ensureOpen();
    Session session;
    try {
      session = readers.acquire();
    } catch (SQLException e) {
      throw failure("ledger " + what + " failed: " + e.getMessage(), e);
    }
    boolean broken = false;
    try {
      return read.apply(session);
    } catch (SQLException e) {
      broken = isBroken(e);
      throw failure("ledger " + what + " failed: " + e.getMessage(), e);
    } finally {
      readers.release(session, broken);
    }
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
  final Usage usage(Session session, Limit.Scope scope, Instant since, String assetKey)
      throws SQLException {
    return usages(session, List.of(new Window(scope, since, assetKey))).get(0);
  }

  /**
   * Counted spend of each window, in one statement (one round trip): the windows' parts are tagged
   * with their position and summed here.
   */
  final List<Usage> usages(Session session, List<Window> windows) throws SQLException {
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
    java.util.Arrays.fill(units, BigInteger.ZERO);
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
            units[i] = units[i].add(getUnits(rows, 4));
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
      statement.setString(index++, kind(scope));
      statement.setString(index++, scope.name());
      if (assetKey != null) {
        statement.setString(index++, assetKey);
      }
      return index;
    }
    long[] edges = plan.edges();
    for (int level = 0; level < BucketPlan.SPANS.length; level++) {
      statement.setString(index++, kind(scope));
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

  // ---------------------------------------------------------------- mapping

  /** Binds the 23 {@link #COLUMNS} from {@code at}; returns the next index. */
  final int bindRecord(
      PreparedStatement s, int at, PaymentRecord r, long createdNs, String assetKey)
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
    setUnits(s, o + 12, r.amount());
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
    return o + 24;
  }

  private PaymentRecord record(ResultSet rows) throws SQLException {
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
        getUnits(rows, 12),
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

  // ---------------------------------------------------------------- helpers

  private static Set<Limit.Scope> scopesOf(String agent, String fleet) {
    return fleet == null
        ? Set.of(Limit.Scope.agent(agent))
        : new java.util.LinkedHashSet<>(
            List.of(Limit.Scope.agent(agent), Limit.Scope.fleet(fleet)));
  }

  /** The asset key per-asset limits and buckets use ({@link Asset#keyOf}). */
  static String assetKey(PaymentRecord record) {
    return Asset.keyOf(record);
  }

  static String kind(Limit.Scope scope) {
    return scope.kind().name().toLowerCase(Locale.ROOT);
  }

  private static NoSuchElementException noSuchRecord(String id) {
    return new NoSuchElementException("no ledger record with id " + id);
  }

  private void ensureOpen() {
    if (closed) {
      throw new PaymentFailedException(ErrorCode.LEDGER_FAILURE, "the ledger is closed");
    }
  }

  /** The typed error for a storage failure. */
  static PaymentFailedException failure(String message, Throwable cause) {
    return new PaymentFailedException(ErrorCode.LEDGER_FAILURE, message, cause);
  }
}
