package dev.mpp.rail.lightning.node;

import java.util.Objects;

/** The outcome of an outgoing payment as the node reports it. */
public sealed interface PaymentResult {

  /**
   * Paid. The preimage is the proof of payment and a secret: {@link #toString()} never shows it,
   * and callers must not log or persist it.
   *
   * @param preimage the 32-byte preimage, lower-case hex
   * @param feeMsat the routing fee actually paid, in millisatoshi
   */
  record Succeeded(String preimage, long feeMsat) implements PaymentResult {
    /** Validates the fields. */
    public Succeeded {
      Hashes.requireHex32(preimage, "preimage");
      if (feeMsat < 0) {
        throw new IllegalArgumentException("feeMsat must not be negative");
      }
    }

    @Override
    public String toString() {
      return "Succeeded[preimage=<redacted>, feeMsat=" + feeMsat + "]";
    }
  }

  /**
   * Failed for good: nothing moved, and paying the same invoice again is safe.
   *
   * @param reason the node's reason (no route, insufficient balance, timeout...)
   */
  record Failed(String reason) implements PaymentResult {
    /** Validates the fields. */
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Still in flight: the outcome is not known yet; ask {@link LightningNode#lookupPayment}. */
  record InFlight() implements PaymentResult {}
}
