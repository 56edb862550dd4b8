package dev.mpp.wallet.rail;

import dev.mpp.wallet.Money;
import java.util.Objects;

/** A rail's answer to "can you pay this, and at what cost?". */
public sealed interface Quote {

  /**
   * The rail can pay.
   *
   * @param amount what the challenge asks, in its asset
   * @param fee the rail's own cost on top (gas, card fee), in the asset it is paid in
   */
  record Payable(Money amount, Money fee) implements Quote {
    /** Validates the components. */
    public Payable {
      Objects.requireNonNull(amount, "amount");
      Objects.requireNonNull(fee, "fee");
    }
  }

  /**
   * The rail cannot pay.
   *
   * @param reason why, for the choice rationale (e.g. {@code chain 1 not configured})
   */
  record Unsupported(String reason) implements Quote {
    /** Validates the component. */
    public Unsupported {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A payable quote. */
  static Quote payable(Money amount, Money fee) {
    return new Payable(amount, fee);
  }

  /** An unsupported quote. */
  static Quote unsupported(String reason) {
    return new Unsupported(reason);
  }
}
