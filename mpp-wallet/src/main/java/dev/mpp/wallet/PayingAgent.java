package dev.mpp.wallet;

import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.policy.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The policies one agent pays under: its own and, when it belongs to a fleet, the fleet's. Every
 * rule and cap of a payment comes from these two.
 *
 * @param agent the agent's name
 * @param fleet the fleet's name, or null
 * @param policy the agent's own policy
 * @param fleetPolicy the fleet's policy, or null when {@code fleet} is
 */
record PayingAgent(String agent, String fleet, Policy policy, Policy fleetPolicy) {

  /** The agent's policy, then the fleet's, labelled for denial messages. */
  List<Selection.Scoped> scoped() {
    List<Selection.Scoped> scoped = new ArrayList<>(2);
    scoped.add(new Selection.Scoped(Limit.Scope.agent(agent).label(), policy));
    if (fleet != null) {
      scoped.add(new Selection.Scoped(Limit.Scope.fleet(fleet).label(), fleetPolicy));
    }
    return scoped;
  }

  /** Every cap of the agent and its fleet that applies to {@code assetKey} at {@code at}. */
  List<Limit> limits(String assetKey, Instant at) {
    List<Limit> limits = new ArrayList<>(policy.limits(Limit.Scope.agent(agent), at, assetKey));
    if (fleet != null) {
      limits.addAll(fleetPolicy.limits(Limit.Scope.fleet(fleet), at, assetKey));
    }
    return limits;
  }

  /** The policy a limit of this agent came from: the agent's or the fleet's. */
  Optional<Policy> policyOf(Limit.Scope scope) {
    if (scope.kind() == Limit.Scope.Kind.AGENT) {
      return Optional.of(policy);
    }
    return Optional.ofNullable(fleet != null && fleet.equals(scope.name()) ? fleetPolicy : null);
  }

  /** The smaller {@code maxLockable} of the agent's and the fleet's policies, if any. */
  OptionalLong maxLockableUsdMicros() {
    OptionalLong own = policy.maxLockableUsdMicros();
    OptionalLong shared = fleet == null ? OptionalLong.empty() : fleetPolicy.maxLockableUsdMicros();
    if (own.isPresent() && shared.isPresent()) {
      return OptionalLong.of(Math.min(own.getAsLong(), shared.getAsLong()));
    }
    return own.isPresent() ? own : shared;
  }

  /** The earlier expiry of the agent's and the fleet's policies, or null when neither expires. */
  Instant expiresAt() {
    Instant own = policy.expiresAt().orElse(null);
    Instant shared = fleet == null ? null : fleetPolicy.expiresAt().orElse(null);
    if (shared != null && (own == null || shared.isBefore(own))) {
      return shared;
    }
    return own;
  }
}
