package dev.mpp.wallet.rail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rail produced for one challenge: the credential payload, the payer's DID, and a reference
 * when the rail itself already settled (push-mode transaction hash).
 *
 * <p>The payload is a secret: {@link #toString()} does not show it.
 *
 * @param payload the method-specific credential payload
 * @param source the payer's DID ({@code did:pkh:eip155:<chain>:<address>}), or null
 * @param reference a settlement reference known before the server answers, or null
 */
public record RailPayment(ObjectNode payload, String source, String reference) {

  /** Validates the components and copies the payload. */
  public RailPayment {
    payload = Objects.requireNonNull(payload, "payload").deepCopy();
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
    return "RailPayment[source=" + source + ", reference=" + reference + "]";
  }
}
