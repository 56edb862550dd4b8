package dev.mpp.wallet;

import dev.mpp.client.wire.Challenge;
import java.util.Objects;
import java.util.Optional;

/**
 * What the wallet would do with one offer, without reserving or signing anything: the view behind
 * {@code mpp inspect} and {@code mpp fetch --dry-run}.
 *
 * @param challenge the offer
 * @param rail the method of the rail evaluated, or null when no rail pays the offer's method
 * @param status whether the offer is payable and, if not, why in one word
 * @param reason the explanation when not payable (the rule, the missing price, …), else null
 * @param amount what the offer asks, when a rail understood it, else null
 * @param fee the rail's fee estimate, when known, else null
 * @param usdMicros the amount in micro-dollars, when priced, else null
 * @param feeUsdMicros the fee in micro-dollars, when priced, else null
 * @param chosen whether the wallet would pay this offer now
 */
public record OfferPreview(
    Challenge challenge,
    String rail,
    Status status,
    String reason,
    Money amount,
    Money fee,
    Long usdMicros,
    Long feeUsdMicros,
    boolean chosen) {

  /** Validates the required components. */
  public OfferPreview {
    Objects.requireNonNull(challenge, "challenge");
    Objects.requireNonNull(status, "status");
  }

  /** The explanation when the offer is not payable. */
  public Optional<String> why() {
    return Optional.ofNullable(reason);
  }

  /** An offer's standing. */
  public enum Status {
    /** A rail can pay it, it is priced, and the policy allows it now. */
    PAYABLE,
    /** No configured rail can pay it (method, intent, asset or chain). */
    UNSUPPORTED,
    /** No price is known for its asset. */
    UNPRICED,
    /** The offer's request is malformed for its method. */
    INVALID,
    /** The policy (a rule or a cap) denies it. */
    DENIED
  }
}
