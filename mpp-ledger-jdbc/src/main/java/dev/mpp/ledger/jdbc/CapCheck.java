package dev.mpp.ledger.jdbc;

import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.ledger.jdbc.GroupCommitWriter.Task;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Reserved;
import dev.mpp.wallet.ledger.Usage;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cap enforcement for a batch of reservations: every reservation is checked against the committed
 * spend of its windows plus the reservations accepted before it in the batch, so the batch decides
 * exactly as the same reservations one by one would. Runs under the batch's locks.
 */
final class CapCheck {

  /** A reservation waiting in the writer's queue. */
  record Reservation(PaymentRecord record, long createdNs, String assetKey, List<Limit> limits) {}

  /**
   * The outcome of one reservation: {@code reserved}, or the {@code denial} of its first exceeded
   * limit.
   */
  record Decision(Reserved reserved, PaymentDeniedException denial) {}

  /** Stores accepted reservations: for each, whether it was inserted (false: the id exists). */
  @FunctionalInterface
  interface Inserter {
    boolean[] insertAll(Session session, List<Reservation> reservations) throws SQLException;
  }

  private final WindowSums sums;
  private final Inserter inserter;

  CapCheck(WindowSums sums, Inserter inserter) {
    this.sums = sums;
    this.inserter = inserter;
  }

  /**
   * Decides every reservation of {@code batch} with one read of all their windows, then inserts the
   * accepted ones together; fills {@code results} (a {@link Reserved}) or {@code refusals} at the
   * reservations' positions.
   */
  void reserveAll(
      Session session, List<Task<?>> batch, Object[] results, RuntimeException[] refusals)
      throws SQLException {
    List<Reservation> reservations = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i).input instanceof Reservation reservation) {
        reservations.add(reservation);
        positions.add(i);
      }
    }
    if (reservations.isEmpty()) {
      return;
    }
    List<WindowSums.Window> windows = windowsOf(reservations);
    List<Usage> committed = windows.isEmpty() ? List.of() : sums.usages(session, windows);
    List<Decision> decisions = decide(reservations, windows, committed);
    List<Reservation> accepted = new ArrayList<>();
    List<Integer> acceptedAt = new ArrayList<>();
    for (int k = 0; k < reservations.size(); k++) {
      int i = positions.get(k);
      Decision decision = decisions.get(k);
      if (decision.denial() != null) {
        refusals[i] = decision.denial();
      } else {
        results[i] = decision.reserved();
        accepted.add(reservations.get(k));
        acceptedAt.add(i);
      }
    }
    if (accepted.isEmpty()) {
      return;
    }
    boolean[] inserted = inserter.insertAll(session, accepted);
    for (int k = 0; k < accepted.size(); k++) {
      if (!inserted[k]) {
        // Counted above for the reservations after it: at worst one of them was denied early.
        int i = acceptedAt.get(k);
        results[i] = null;
        refusals[i] =
            new IllegalArgumentException(
                "a record with id " + accepted.get(k).record().id() + " already exists");
      }
    }
  }

  /** The windows the reservations' limits sum, each once, in first-use order. */
  static List<WindowSums.Window> windowsOf(List<Reservation> reservations) {
    List<WindowSums.Window> windows = new ArrayList<>();
    for (Reservation reservation : reservations) {
      for (Limit limit : reservation.limits()) {
        WindowSums.Window window = windowOf(limit);
        if (!windows.contains(window)) {
          windows.add(window);
        }
      }
    }
    return windows;
  }

  /**
   * Decides each reservation in order against {@code committed} (the spend of {@code windows}
   * before the batch) plus the reservations accepted before it.
   */
  static List<Decision> decide(
      List<Reservation> reservations, List<WindowSums.Window> windows, List<Usage> committed) {
    List<Decision> decisions = new ArrayList<>(reservations.size());
    List<Reservation> accepted = new ArrayList<>();
    for (Reservation reservation : reservations) {
      PaymentRecord record = reservation.record();
      List<Reserved.LimitUsage> usages = new ArrayList<>(reservation.limits().size());
      PaymentDeniedException denied = null;
      for (Limit limit : reservation.limits()) {
        WindowSums.Window window = windowOf(limit);
        Usage before = committed.get(windows.indexOf(window));
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
          denied = denial.get();
          break;
        }
        usages.add(new Reserved.LimitUsage(limit, before));
      }
      if (denied != null) {
        decisions.add(new Decision(null, denied));
      } else {
        accepted.add(reservation);
        decisions.add(new Decision(new Reserved(record, usages), null));
      }
    }
    return decisions;
  }

  private static WindowSums.Window windowOf(Limit limit) {
    return new WindowSums.Window(limit.scope(), limit.since(), limit.assetKey());
  }
}
