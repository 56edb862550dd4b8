package dev.mpp.ledger.jdbc;

import dev.mpp.ledger.jdbc.GroupCommitWriter.Refusal;
import dev.mpp.ledger.jdbc.GroupCommitWriter.Task;
import dev.mpp.wallet.ledger.Limit;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Runs one batch of the {@link GroupCommitWriter} as one transaction and settles every task of it,
 * with the retry policy: a transient failure (deadlock victim, serialization failure) runs the
 * batch again, up to {@link #RETRIES} times; any other failure runs each task alone, so one bad
 * write does not fail the others, unless the database is busy (then alone would fail too). Called
 * on the writer thread only.
 */
final class BatchTransactions implements GroupCommitWriter.BatchRunner {

  /** How often a batch that failed transiently runs again. */
  static final int RETRIES = 5;

  /** The one total order in which batches lock scopes, so that they cannot deadlock. */
  private static final Comparator<Limit.Scope> SCOPE_ORDER =
      Comparator.comparing((Limit.Scope s) -> s.kind()).thenComparing(Limit.Scope::name);

  private final JdbcLedgerStore store;
  private final Dialect dialect;
  private final CapCheck caps;
  private final TransitionWrites transitions;

  BatchTransactions(
      JdbcLedgerStore store, Dialect dialect, CapCheck caps, TransitionWrites transitions) {
    this.store = store;
    this.dialect = dialect;
    this.caps = caps;
    this.transitions = transitions;
  }

  @Override
  public void run(List<Task<?>> batch) {
    for (int attempt = 0; ; attempt++) {
      Exception failed = tryBatch(batch);
      if (failed == null) {
        return;
      }
      SQLException sql = failed instanceof SQLException s ? s : null;
      if (sql != null && dialect.isTransient(sql) && attempt < RETRIES) {
        continue;
      }
      if (batch.size() > 1 && (sql == null || !dialect.isBusy(sql))) {
        // one bad write must not fail the others: run each alone
        for (Task<?> task : batch) {
          run(List.of(task));
        }
        return;
      }
      RuntimeException failure =
          JdbcLedgerStore.failure("ledger write failed: " + failed.getMessage(), failed);
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
      session = store.writeSession();
      store.begin(session);
      if (dialect.locksScopes()) {
        TreeSet<Limit.Scope> scopes = new TreeSet<>(SCOPE_ORDER);
        for (Task<?> task : batch) {
          scopes.addAll(task.scopes);
        }
        if (!scopes.isEmpty()) {
          store.lockScopes(session, scopes);
        }
      }
      Object[] results = new Object[batch.size()];
      RuntimeException[] refusals = new RuntimeException[batch.size()];
      caps.reserveAll(session, batch, results, refusals);
      transitions.transitionAll(session, batch, results, refusals);
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
      store.commit(session);
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
        store.rollback(session);
      }
      broken = !(e instanceof SQLException sql) || dialect.isBroken(sql);
      return e;
    } finally {
      if (session != null) {
        store.releaseWriteSession(session, broken);
      }
    }
  }
}
