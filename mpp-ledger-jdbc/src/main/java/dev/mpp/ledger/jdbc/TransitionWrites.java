package dev.mpp.ledger.jdbc;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.ledger.jdbc.GroupCommitWriter.Refusal;
import dev.mpp.ledger.jdbc.GroupCommitWriter.Task;
import dev.mpp.wallet.ledger.PaymentStateMachine;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores {@link dev.mpp.wallet.ledger.LedgerStore#transition}s as {@link PaymentStateMachine}
 * decides them: batched commits and UNKNOWN marks with one conditional update, everything else (and
 * whatever the batch could not move) one by one, releasing the buckets of a record that stops
 * counting. Runs inside a batch transaction on the writer thread.
 */
final class TransitionWrites {

  /** How often a record moved by another process is read and decided again. */
  private static final int RETRIES = 5;

  /** A transition waiting in the writer's queue. */
  record Transition(
      String id,
      PaymentState state,
      String reference,
      String receiptHeader,
      String detail,
      long atNs) {}

  private final RecordRows rows;
  private final RecordWrites writes;

  TransitionWrites(RecordRows rows, RecordWrites writes) {
    this.rows = rows;
    this.writes = writes;
  }

  /** Whether a transition to {@code state} may wait in the queue to move with others. */
  static boolean batched(PaymentState state) {
    return LedgerSql.BATCHED_TARGETS.contains(state);
  }

  /**
   * Moves the batch's queued transitions with one JDBC batch of conditional updates and one read of
   * the moved records; the few that did not move (already there, forbidden, unknown id, or named
   * twice in the batch) take the one-by-one path, which decides and explains.
   */
  void transitionAll(
      Session session, List<Task<?>> batch, Object[] results, RuntimeException[] refusals)
      throws SQLException {
    List<Integer> fast = new ArrayList<>();
    List<Integer> slow = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i).input instanceof Transition t) {
        (ids.add(t.id()) ? fast : slow).add(i);
      }
    }
    if (fast.isEmpty()) {
      return;
    }
    PreparedStatement update = session.prepare(LedgerSql.BATCH_TRANSITION);
    for (int i : fast) {
      Transition t = (Transition) batch.get(i).input;
      update.setString(1, t.state().name());
      update.setLong(2, t.atNs());
      update.setString(3, t.reference());
      update.setString(4, t.receiptHeader());
      update.setString(5, t.detail());
      update.setString(6, t.id());
      for (int k = 0; k < LedgerSql.BATCHED_TARGETS.size(); k++) {
        update.setString(7 + k, t.state().name());
      }
      update.addBatch();
    }
    int[] counts = update.executeBatch();
    List<Integer> moved = new ArrayList<>();
    for (int n = 0; n < counts.length; n++) {
      (counts[n] == 0 ? slow : moved).add(fast.get(n));
    }
    if (!moved.isEmpty()) {
      PreparedStatement select = session.prepare(LedgerSql.selectByIds(moved.size()));
      for (int n = 0; n < moved.size(); n++) {
        select.setString(n + 1, ((Transition) batch.get(moved.get(n)).input).id());
      }
      Map<String, PaymentRecord> byId = new HashMap<>();
      try (ResultSet found = select.executeQuery()) {
        while (found.next()) {
          PaymentRecord record = rows.read(found);
          byId.put(record.id(), record);
        }
      }
      for (int i : moved) {
        results[i] = byId.get(((Transition) batch.get(i).input).id());
      }
    }
    slow.sort(null);
    for (int i : slow) {
      try {
        results[i] = transition(session, (Transition) batch.get(i).input);
      } catch (Refusal refusal) {
        refusals[i] = refusal.reason();
      }
    }
  }

  /**
   * Moves one record.
   *
   * @throws Refusal for an unknown id or a move the lifecycle forbids (nothing written)
   */
  PaymentRecord transition(Session session, Transition t) throws SQLException {
    String fastSql = LedgerSql.fastTransition(t.state());
    if (fastSql != null) {
      // the common case in one statement: move from a state that allows it
      PreparedStatement fast = session.prepare(fastSql);
      fast.setString(1, t.state().name());
      fast.setLong(2, t.atNs());
      fast.setString(3, t.reference());
      fast.setString(4, t.receiptHeader());
      fast.setString(5, t.detail());
      fast.setString(6, t.id());
      PaymentRecord moved = null;
      try (ResultSet found = fast.executeQuery()) {
        if (found.next()) {
          moved = rows.read(found);
        }
      }
      if (moved != null) {
        if (!t.state().counts()) {
          // every state a record can leave for a non-counting one counts
          writes.subtractFromBuckets(session, moved);
        }
        return moved;
      }
    }
    for (int attempt = 0; ; attempt++) {
      PaymentRecord current = rows.find(session, t.id());
      if (current == null) {
        throw new Refusal(PaymentStateMachine.noSuchRecord(t.id()));
      }
      PaymentRecord next;
      try {
        next =
            PaymentStateMachine.transition(
                current,
                t.state(),
                t.reference(),
                t.receiptHeader(),
                t.detail(),
                BucketPlan.fromNanos(t.atNs()));
      } catch (IllegalStateException forbidden) {
        throw new Refusal(forbidden);
      }
      if (next == current) {
        return current;
      }
      PreparedStatement update = session.prepare(LedgerSql.UPDATE_STATE);
      update.setString(1, next.state().name());
      update.setLong(2, t.atNs());
      update.setString(3, next.reference());
      update.setString(4, next.receiptHeader());
      update.setString(5, next.detail());
      update.setString(6, t.id());
      update.setString(7, current.state().name());
      if (update.executeUpdate() == 1) {
        if (current.state().counts() && !next.state().counts()) {
          writes.subtractFromBuckets(session, current);
        }
        return next;
      }
      // Another process moved the record between our read and our update (PostgreSQL only: the
      // conditional update waited for it); decide again on what it left.
      if (attempt >= RETRIES) {
        throw new SQLException("record " + t.id() + " keeps changing under concurrent transitions");
      }
    }
  }
}
