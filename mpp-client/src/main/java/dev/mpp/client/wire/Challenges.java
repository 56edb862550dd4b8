package dev.mpp.client.wire;

import dev.mpp.client.ProtocolException;
import java.util.List;
import java.util.Objects;

/**
 * The Payment challenges found in a 402 response: the valid ones in server order, and the invalid
 * ones each with the reason it was refused.
 *
 * @param valid the challenges that parsed and validated
 * @param invalid the Payment challenges (or header fields) that did not
 */
public record Challenges(List<Challenge> valid, List<Invalid> invalid) {

  /** Copies the lists so the result is immutable. */
  public Challenges {
    valid = List.copyOf(valid);
    invalid = List.copyOf(invalid);
  }

  /** Whether no Payment challenge at all, valid or not, was present. */
  public boolean isEmpty() {
    return valid.isEmpty() && invalid.isEmpty();
  }

  /**
   * A Payment challenge that was refused.
   *
   * @param excerpt the start of the challenge's text (control characters masked), for diagnostics
   * @param error why it was refused
   */
  public record Invalid(String excerpt, ProtocolException error) {
    /** Validates the components. */
    public Invalid {
      Objects.requireNonNull(excerpt, "excerpt");
      Objects.requireNonNull(error, "error");
    }
  }
}
