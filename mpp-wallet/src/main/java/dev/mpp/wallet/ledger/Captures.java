package dev.mpp.wallet.ledger;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.wallet.Asset;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The arithmetic of {@link LedgerStore#capture}, shared by every store: a {@link LedgerStore}
 * implementation plans a capture here and only persists the plan.
 */
public final class Captures {

  private Captures() {}

  /**
   * What a capture changes.
   *
   * @param lowered the holds with their new amounts and values, in the order drawn on
   * @param taken per lowered hold, the amount and value taken ({@code [units, usdMicros]})
   * @param part the part as it is stored (its value is the sum of the values taken)
   */
  public record Plan(List<PaymentRecord> lowered, List<Taken> taken, PaymentRecord part) {}

  /**
   * The share one hold gives.
   *
   * @param hold the hold before the capture
   * @param units the amount taken
   * @param usdMicros the value taken
   */
  public record Taken(PaymentRecord hold, BigInteger units, long usdMicros) {}

  /**
   * Rejects a part that cannot be captured: it must be {@code HELD} with a positive amount.
   *
   * @param part the part to capture
   * @throws IllegalArgumentException when it is not
   */
  public static void requireValidPart(PaymentRecord part) {
    Objects.requireNonNull(part, "part");
    if (part.state() != PaymentState.HELD) {
      throw new IllegalArgumentException("a captured part starts HELD, not " + part.state());
    }
    if (part.amount().signum() <= 0) {
      throw new IllegalArgumentException("a captured part needs a positive amount");
    }
  }

  /**
   * Plans a capture of {@code part} from {@code holds} (looked up for {@code ids}; null when
   * missing).
   *
   * @throws IllegalArgumentException when the holds cannot cover the part
   */
  public static Plan plan(List<String> ids, List<PaymentRecord> holds, PaymentRecord part) {
    String assetKey = Asset.keyOf(part);
    BigInteger remaining = part.amount();
    long value = 0;
    List<PaymentRecord> lowered = new ArrayList<>();
    List<Taken> taken = new ArrayList<>();
    for (int i = 0; i < holds.size() && remaining.signum() > 0; i++) {
      PaymentRecord hold = holds.get(i);
      if (hold == null) {
        throw new IllegalArgumentException("no hold " + ids.get(i));
      }
      if (hold.state() != PaymentState.HELD) {
        throw new IllegalArgumentException("hold " + hold.id() + " is " + hold.state());
      }
      if (!hold.agent().equals(part.agent())
          || !Objects.equals(hold.fleet(), part.fleet())
          || !Asset.keyOf(hold).equals(assetKey)) {
        throw new IllegalArgumentException(
            "hold " + hold.id() + " belongs to another agent, fleet or asset");
      }
      if (hold.amount().signum() == 0) {
        continue;
      }
      BigInteger units = hold.amount().min(remaining);
      BigInteger left = hold.amount().subtract(units);
      long usd =
          left.signum() == 0
              ? hold.usdMicros()
              : BigInteger.valueOf(hold.usdMicros())
                  .multiply(units)
                  .divide(hold.amount())
                  .longValueExact();
      remaining = remaining.subtract(units);
      value = Math.addExact(value, usd);
      taken.add(new Taken(hold, units, usd));
      lowered.add(withAmount(hold, left, hold.usdMicros() - usd, part.createdAt()));
    }
    if (remaining.signum() > 0) {
      throw new IllegalArgumentException(
          "holds cover " + part.amount().subtract(remaining) + " of " + part.amount());
    }
    PaymentRecord stored =
        new PaymentRecord(
            part.id(),
            part.agent(),
            part.fleet(),
            part.createdAt(),
            part.updatedAt(),
            part.url(),
            part.origin(),
            part.realm(),
            part.method(),
            part.intent(),
            part.challengeId(),
            part.amount(),
            part.currency(),
            part.chainId(),
            part.decimals(),
            value,
            part.feeUsdMicros(),
            PaymentState.HELD,
            part.reference(),
            part.receiptHeader(),
            part.rationale(),
            part.detail());
    return new Plan(lowered, taken, stored);
  }

  static PaymentRecord withAmount(
      PaymentRecord r, BigInteger amount, long usdMicros, java.time.Instant at) {
    return new PaymentRecord(
        r.id(),
        r.agent(),
        r.fleet(),
        r.createdAt(),
        at,
        r.url(),
        r.origin(),
        r.realm(),
        r.method(),
        r.intent(),
        r.challengeId(),
        amount,
        r.currency(),
        r.chainId(),
        r.decimals(),
        usdMicros,
        r.feeUsdMicros(),
        r.state(),
        r.reference(),
        r.receiptHeader(),
        r.rationale(),
        r.detail());
  }
}
