package dev.mpp.rail.tempo.session;

import java.math.BigInteger;
import java.util.Objects;

/**
 * How a channel ended.
 *
 * @param channelId the channel
 * @param settled what the payee received in total
 * @param refunded what went back to the payer
 * @param closeTxHash the close transaction, when the server reported it
 */
public record CloseResult(
    Bytes32 channelId, BigInteger settled, BigInteger refunded, String closeTxHash) {

  /** Validates the components. */
  public CloseResult {
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(settled, "settled");
    Objects.requireNonNull(refunded, "refunded");
  }
}
