package dev.mpp.wallet;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Usage;
import dev.mpp.wallet.policy.Cap;
import dev.mpp.wallet.policy.Policy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads from the ledger where an agent stands against each of its and its fleet's caps. */
final class BudgetReport {
  private final LedgerStore ledger;

  BudgetReport(LedgerStore ledger) {
    this.ledger = ledger;
  }

  /** One line per cap of the agent, then per cap of its fleet, as counted at {@code now}. */
  Budget of(PayingAgent payer, Instant now) {
    List<Budget.Line> lines =
        new ArrayList<>(lines(Limit.Scope.agent(payer.agent()), payer.policy(), now));
    if (payer.fleet() != null) {
      lines.addAll(lines(Limit.Scope.fleet(payer.fleet()), payer.fleetPolicy(), now));
    }
    return new Budget(payer.agent(), payer.fleet(), now, payer.expiresAt(), lines);
  }

  private List<Budget.Line> lines(Limit.Scope scope, Policy policy, Instant now) {
    List<Budget.Line> lines = new ArrayList<>();
    for (Cap cap : policy.caps()) {
      for (Limit limit : cap.limits(scope, now)) {
        Usage counted = ledger.usage(scope, limit.since(), limit.assetKey());
        Usage held = sum(limit, scope, PaymentState.HELD);
        Usage unknown = sum(limit, scope, PaymentState.UNKNOWN);
        lines.add(line(limit, counted, held, unknown));
      }
    }
    return lines;
  }

  private Usage sum(Limit limit, Limit.Scope scope, PaymentState state) {
    LedgerQuery query =
        new LedgerQuery(
            scope.kind() == Limit.Scope.Kind.AGENT ? scope.name() : null,
            scope.kind() == Limit.Scope.Kind.FLEET ? scope.name() : null,
            limit.since(),
            null,
            state,
            0);
    Usage total = Usage.NONE;
    for (PaymentRecord record : ledger.query(query)) {
      if (limit.counts(record)) {
        total = limit.after(total, record);
      }
    }
    return total;
  }

  private static Budget.Line line(Limit limit, Usage counted, Usage held, Usage unknown) {
    // A cap's limit caps one measure. Units caps are shown in base units: the asset's decimals
    // are not known without a payment.
    CapMeasure measure = CapMeasure.of(limit).get(0);
    int scale = measure.scale(0);
    BigInteger cap = measure.cap(limit);
    BigInteger all = measure.used(counted);
    BigInteger heldNow = measure.used(held);
    BigInteger unknownNow = measure.used(unknown);
    BigInteger paid = all.subtract(heldNow).subtract(unknownNow).max(BigInteger.ZERO);
    BigInteger remaining = cap.subtract(all).max(BigInteger.ZERO);
    return new Budget.Line(
        limit.scope(),
        limit.rule(),
        limit.since(),
        measure.unit(limit),
        new BigDecimal(cap, scale),
        new BigDecimal(paid, scale),
        new BigDecimal(heldNow, scale),
        new BigDecimal(unknownNow, scale),
        new BigDecimal(remaining, scale));
  }
}
