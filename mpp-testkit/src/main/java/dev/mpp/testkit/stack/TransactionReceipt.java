package dev.mpp.testkit.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The parts of an {@code eth_getTransactionReceipt} result tests look at; {@link #raw()} keeps the
 * rest (logs, fee fields).
 *
 * @param transactionHash the transaction hash, {@code 0x}-prefixed
 * @param success whether {@code status} is {@code 0x1}
 * @param blockNumber the including block
 * @param from the sender
 * @param raw the full receipt object as returned by the node
 */
public record TransactionReceipt(
    String transactionHash, boolean success, long blockNumber, String from, JsonNode raw) {

  /** Validates that the mandatory fields are present. */
  public TransactionReceipt {
    Objects.requireNonNull(transactionHash, "transactionHash");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(raw, "raw");
  }

  static TransactionReceipt fromJson(JsonNode receipt) {
    return new TransactionReceipt(
        receipt.path("transactionHash").asText(),
        "0x1".equals(receipt.path("status").asText()),
        Hex.toLong(receipt.path("blockNumber").asText()),
        receipt.path("from").asText(),
        receipt);
  }
}
