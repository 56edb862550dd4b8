package dev.mpp.ledger.jdbc;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.ledger.Captures;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.PaymentStateMachine;
import dev.mpp.wallet.ledger.Reserved;
import dev.mpp.wallet.ledger.Usage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The ledger over JDBC, shared by the SQLite and PostgreSQL stores: it validates calls and routes
 * them to the collaborators that do the work — one write path ({@link GroupCommitWriter} batches,
 * {@link BatchTransactions} commits and retries), {@link CapCheck} for limits, {@link
 * TransitionWrites} for the lifecycle ({@link PaymentStateMachine}), {@link RecordWrites} for rows
 * and their bucket aggregates, {@link WindowSums} for exact window sums, {@link LedgerSql} and
 * {@link RecordRows} for SQL text and mapping. Subclasses supply connections, transaction
 * boundaries and scope locking; their {@link Dialect} spells what differs.
 */
abstract class JdbcLedgerStore implements LedgerStore {

  private static final int MAX_BATCH = 64;

  final Dialect dialect;
  final RecordRows rows;
  final RecordWrites writes;
  private final ConnectionSource readers;
  private final WindowSums sums;
  private final TransitionWrites transitions;
  private final GroupCommitWriter writer;
  private volatile boolean closed;

  JdbcLedgerStore(ConnectionSource readers, String writerName, Dialect dialect) {
    this.readers = readers;
    this.dialect = dialect;
    this.rows = new RecordRows(dialect);
    this.writes = new RecordWrites(dialect, new LedgerSql(dialect), rows);
    this.sums = new WindowSums(dialect);
    this.transitions = new TransitionWrites(rows, writes);
    BatchTransactions batches =
        new BatchTransactions(this, dialect, new CapCheck(sums, this::insertAll), transitions);
    this.writer = new GroupCommitWriter(writerName, batches, MAX_BATCH);
  }

  // ---------------------------------------------------------------- hooks of the write path

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
   * is the same total order everywhere, so concurrent batches cannot deadlock). Called only when
   * the {@link Dialect#locksScopes} says so.
   */
  abstract void lockScopes(Session session, Collection<Limit.Scope> scopes) throws SQLException;

  /** Creates whatever {@link #lockScopes} needs for {@code scopes}, outside any batch. */
  void prepareScopes(Collection<Limit.Scope> scopes) {}

  /** Closes the write path's own resources after the writer stopped. */
  abstract void closeWriteResources();

  /**
   * Inserts a batch's accepted reservations with their bucket increments.
   *
   * @return for each, whether it was inserted (false, with nothing written for it, when a record
   *     with its id exists)
   */
  boolean[] insertAll(Session session, List<CapCheck.Reservation> reservations)
      throws SQLException {
    return writes.insertAll(session, reservations);
  }

  // ---------------------------------------------------------------- LedgerStore

  @Override
  public Reserved reserve(PaymentRecord record, List<Limit> limits) {
    PaymentStateMachine.requireReservable(record);
    List<Limit> checked = List.copyOf(Objects.requireNonNull(limits, "limits"));
    long createdNs = BucketPlan.toNanos(record.createdAt(), "createdAt");
    BucketPlan.toNanos(record.updatedAt(), "updatedAt");
    String assetKey = Asset.keyOf(record);
    Set<Limit.Scope> scopes = BucketPlan.scopesOf(record.agent(), record.fleet());
    ensureOpen();
    prepareScopes(scopes);
    return writer.submitInput(
        new CapCheck.Reservation(record, createdNs, assetKey, checked), scopes);
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
    TransitionWrites.Transition transition =
        new TransitionWrites.Transition(
            id, state, reference, receiptHeader, detail, BucketPlan.toNanos(at, "at"));
    ensureOpen();
    if (TransitionWrites.batched(state)) {
      // no counted amount changes: no scope lock, and the batch moves all of these together
      return writer.submitInput(transition, Set.of());
    }
    Set<Limit.Scope> scopes = Set.of();
    if (!state.counts() && dialect.locksScopes()) {
      // agent and fleet never change, so reading them outside the batch is safe
      PaymentRecord current = find(id).orElseThrow(() -> PaymentStateMachine.noSuchRecord(id));
      scopes = BucketPlan.scopesOf(current.agent(), current.fleet());
    }
    return writer.submit(session -> transitions.transition(session, transition), scopes);
  }

  @Override
  public PaymentRecord capture(List<String> holdIds, PaymentRecord part) {
    List<String> ids = List.copyOf(Objects.requireNonNull(holdIds, "holdIds"));
    Captures.requireValidPart(part);
    long createdNs = BucketPlan.toNanos(part.createdAt(), "createdAt");
    BucketPlan.toNanos(part.updatedAt(), "updatedAt");
    String assetKey = Asset.keyOf(part);
    Set<Limit.Scope> scopes = BucketPlan.scopesOf(part.agent(), part.fleet());
    ensureOpen();
    prepareScopes(scopes);
    return writer.submit(
        session -> writes.capture(session, ids, part, createdNs, assetKey), scopes);
  }

  @Override
  public Optional<PaymentRecord> find(String id) {
    Objects.requireNonNull(id, "id");
    return read("find", session -> Optional.ofNullable(rows.find(session, id)));
  }

  @Override
  public List<PaymentRecord> query(LedgerQuery query) {
    Objects.requireNonNull(query, "query");
    if (query.limit() < 0) {
      throw new IllegalArgumentException("limit must not be negative");
    }
    LedgerSql.Select select = LedgerSql.select(query);
    if (select == null) {
      return List.of();
    }
    return read(
        "query",
        session -> {
          PreparedStatement statement = session.prepare(select.sql());
          for (int i = 0; i < select.args().size(); i++) {
            statement.setObject(i + 1, select.args().get(i));
          }
          List<PaymentRecord> out = new ArrayList<>();
          try (ResultSet found = statement.executeQuery()) {
            while (found.next()) {
              out.add(rows.read(found));
            }
          }
          return out;
        });
  }

  @Override
  public Usage usage(Limit.Scope scope, Instant since, String assetKey) {
    Objects.requireNonNull(scope, "scope");
    return read("usage", session -> sums.usage(session, scope, since, assetKey));
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
      broken = dialect.isBroken(e);
      throw failure("ledger " + what + " failed: " + e.getMessage(), e);
    } finally {
      readers.release(session, broken);
    }
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
