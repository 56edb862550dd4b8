package dev.mpp.wallet;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.wallet.policy.AgentPolicy;
import dev.mpp.wallet.policy.Policy;
import java.util.Map;
import java.util.Set;

/**
 * The wallet's registered fleets and agents, and the default agent policy: answers which policies
 * an agent pays under.
 */
final class Policies {
  private final Map<String, Policy> fleets;
  private final Map<String, AgentPolicy> agents;
  private final AgentPolicy defaultAgent;

  /** The maps are copied; every fleet an agent names must be among {@code fleets}. */
  Policies(Map<String, Policy> fleets, Map<String, AgentPolicy> agents, AgentPolicy defaultAgent) {
    this.fleets = Map.copyOf(fleets);
    this.agents = Map.copyOf(agents);
    this.defaultAgent = defaultAgent;
  }

  /**
   * The policies {@code agent} pays under: its own registration, else the default agent policy.
   *
   * @throws ConfigurationException when neither exists
   */
  PayingAgent of(String agent) {
    AgentPolicy registered = agents.get(agent);
    if (registered == null) {
      registered = defaultAgent;
    }
    if (registered == null) {
      throw new ConfigurationException(
          ErrorCode.INVALID_CONFIGURATION,
          "no policy for agent '"
              + agent
              + "': register it with Wallet.Builder.agent(...) or set a default agent policy");
    }
    String fleet = registered.fleet();
    return new PayingAgent(
        agent, fleet, registered.policy(), fleet == null ? null : fleets.get(fleet));
  }

  /** The names of the registered agents. */
  Set<String> agentNames() {
    return agents.keySet();
  }

  /** The names of the registered fleets. */
  Set<String> fleetNames() {
    return fleets.keySet();
  }
}
