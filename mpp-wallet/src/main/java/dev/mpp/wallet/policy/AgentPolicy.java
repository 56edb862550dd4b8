package dev.mpp.wallet.policy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import java.util.Objects;
import java.util.Optional;

/**
 * An agent's own policy and the fleet it belongs to.
 *
 * @param fleet the fleet's name, or null when the agent stands alone
 * @param policy the agent's policy
 */
public record AgentPolicy(String fleet, Policy policy) {

  /** Validates the components. */
  public AgentPolicy {
    Objects.requireNonNull(policy, "policy");
    if (fleet != null && fleet.isBlank()) {
      throw new ConfigurationException(
          ErrorCode.INVALID_CONFIGURATION, "fleet name must not be blank");
    }
  }

  /** The fleet, if any. */
  public Optional<String> fleetName() {
    return Optional.ofNullable(fleet);
  }
}
