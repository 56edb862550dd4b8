package dev.mpp.wallet.ledger;

import dev.mpp.client.PaymentState;
import java.time.Instant;

/**
 * Which records to read; null components do not filter.
 *
 * @param agent only this agent's records
 * @param fleet only this fleet's records
 * @param from created at or after
 * @param to created before
 * @param state only records in this state
 * @param limit at most this many records (0: no limit)
 */
public record LedgerQuery(
    String agent, String fleet, Instant from, Instant to, PaymentState state, int limit) {

  /** Every record. */
  public static LedgerQuery all() {
    return new LedgerQuery(null, null, null, null, null, 0);
  }

  /** One agent's records. */
  public static LedgerQuery agent(String agent) {
    return new LedgerQuery(agent, null, null, null, null, 0);
  }
}
