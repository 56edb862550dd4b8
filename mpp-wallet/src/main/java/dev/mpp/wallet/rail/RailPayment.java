package dev.mpp.wallet.rail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rail produced for one challenge: the credential payload, the payer's DID, a reference when
 * one is known before the server answers, and whether the rail itself already settled the payment
 * (a push-mode transaction it broadcast and saw mined).
 *
 * <p>A settled payment moved money whatever the server answers, so the wallet never releases it: a
 * refused credential leaves it {@code UNKNOWN} (still counted) for reconciliation.
 *
 * <p>The payload is a secret: {@link #toString()} does not show it.
 *
 * @param payload the method-specific credential payload
 * @param source the payer's DID ({@code did:pkh:eip155:<chain>:<address>}), or null
 * @param reference a settlement reference known before the server answers, or null
 * @param settled whether the rail already settled the payment; requires {@code reference}
 * @param label what the ledger may show of the means of payment (e.g. {@code visa ••4242}), or
 *     null: never a secret (no card number beyond its last four, token, key or address book entry)
 */
public record RailPayment(
    ObjectNode payload, String source, String reference, boolean settled, String label) {

  /** The longest {@link #label}: a short display name, not a place for data. */
  public static final int MAX_LABEL_LENGTH = 64;

  /** Validates the components and copies the payload. */
  public RailPayment {
    payload = Objects.requireNonNull(payload, "payload").deepCopy();
    if (settled && reference == null) {
      throw new IllegalArgumentException("a payment the rail settled needs its reference");
    }
    if (label != null
        && (label.isBlank()
            || label.length() > MAX_LABEL_LENGTH
            || label.chars().anyMatch(Character::isISOControl))) {
      throw new IllegalArgumentException(
          "a label is 1 to " + MAX_LABEL_LENGTH + " characters without control characters");
    }
  }

  /** A payment without a label. */
  public RailPayment(ObjectNode payload, String source, String reference, boolean settled) {
    this(payload, source, reference, settled, null);
  }

  /** A payment the server settles (or whose settlement the rail does not know of). */
  public RailPayment(ObjectNode payload, String source, String reference) {
    this(payload, source, reference, false, null);
  }

  /**
   * This payment with {@code label}: what the ledger records of the means of payment.
   *
   * @param label e.g. {@code visa ••4242}; never a secret
   */
  public RailPayment withLabel(String label) {
    return new RailPayment(payload, source, reference, settled, label);
  }

  /** What the ledger may show of the means of payment, when the rail gave one. */
  public Optional<String> displayLabel() {
    return Optional.ofNullable(label);
  }

  /** The payer's DID, when the rail has one. */
  public Optional<String> sourceDid() {
    return Optional.ofNullable(source);
  }

  /** A reference known before the server answers (e.g. a pushed transaction hash). */
  public Optional<String> preSettlementReference() {
    return Optional.ofNullable(reference);
  }

  @Override
  public ObjectNode payload() {
    return payload.deepCopy();
  }

  @Override
  public String toString() {
    return "RailPayment[source="
        + source
        + (label == null ? "" : ", label=" + label)
        + ", reference="
        + reference
        + (settled ? ", settled" : "")
        + "]";
  }
}
