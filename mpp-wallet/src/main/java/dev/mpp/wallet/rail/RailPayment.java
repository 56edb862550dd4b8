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
 */
public record RailPayment(ObjectNode payload, String source, String reference, boolean settled) {

  /** Validates the components and copies the payload. */
  public RailPayment {
    payload = Objects.requireNonNull(payload, "payload").deepCopy();
    if (settled && reference == null) {
      throw new IllegalArgumentException("a payment the rail settled needs its reference");
    }
  }

  /** A payment the server settles (or whose settlement the rail does not know of). */
  public RailPayment(ObjectNode payload, String source, String reference) {
    this(payload, source, reference, false);
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
        + ", reference="
        + reference
        + (settled ? ", settled" : "")
        + "]";
  }
}
