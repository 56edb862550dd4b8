package dev.mpp.wallet.ledger;

import dev.mpp.client.PaymentRecord;
import java.util.List;
import java.util.Objects;

/**
 * The result of a successful reservation.
 *
 * @param record the stored record (state HELD)
 * @param usages for each limit checked, the counted usage before this reservation
 */
public record Reserved(PaymentRecord record, List<LimitUsage> usages) {
  /** Validates and copies. */
  public Reserved {
    Objects.requireNonNull(record, "record");
    usages = List.copyOf(usages);
  }

  /**
   * How one limit stood before the reservation.
   *
   * @param limit the limit
   * @param before counted usage before the reservation
   */
  public record LimitUsage(Limit limit, Usage before) {}
}
