package dev.mpp.wallet;

import dev.mpp.wallet.ledger.Limit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an agent stands against every cap that applies to it (its own and its fleet's), as the
 * {@code mpp budget} command shows it.
 *
 * @param agent the agent
 * @param fleet the agent's fleet, or null
 * @param at when the figures were read
 * @param expiresAt when the agent's or the fleet's budget expires (the earlier), or null
 * @param lines one line per cap dimension
 */
public record Budget(
    String agent, String fleet, Instant at, Instant expiresAt, List<Budget.Line> lines) {

  /** Validates and copies. */
  public Budget {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(at, "at");
    lines = List.copyOf(lines);
  }

  /** The budget's expiry, if any. */
  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  /**
   * One cap. Amounts are in {@code unit}; {@code paid + held + unknown} is what counts against the
   * cap.
   *
   * @param scope the agent or fleet the cap counts
   * @param rule the rule name, as denials report it
   * @param since the window's start, or null for all time
   * @param unit {@code usd}, {@code payments}, or an asset key (amounts then in base units)
   * @param limit the cap
   * @param paid settled payments
   * @param held reservations awaiting the server's answer
   * @param unknown payments whose outcome is unknown until reconciled
   * @param remaining what can still be spent ({@code limit} minus the counted total, at least 0)
   */
  public record Line(
      Limit.Scope scope,
      String rule,
      Instant since,
      String unit,
      BigDecimal limit,
      BigDecimal paid,
      BigDecimal held,
      BigDecimal unknown,
      BigDecimal remaining) {

    /** Validates the components. */
    public Line {
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(unit, "unit");
      Objects.requireNonNull(limit, "limit");
      Objects.requireNonNull(paid, "paid");
      Objects.requireNonNull(held, "held");
      Objects.requireNonNull(unknown, "unknown");
      Objects.requireNonNull(remaining, "remaining");
    }
  }
}
