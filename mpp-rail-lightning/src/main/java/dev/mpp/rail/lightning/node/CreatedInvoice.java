package dev.mpp.rail.lightning.node;

/**
 * An invoice a node has just issued.
 *
 * @param invoice the BOLT #11 text
 * @param paymentHash its payment hash, lower-case hex
 */
public record CreatedInvoice(String invoice, String paymentHash) {
  /** Validates the fields. */
  public CreatedInvoice {
    if (invoice == null || invoice.isBlank()) {
      throw new IllegalArgumentException("invoice is required");
    }
    Hashes.requireHex32(paymentHash, "paymentHash");
  }
}
