package dev.mpp.wallet;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.wallet.policy.AgentPolicy;
import dev.mpp.wallet.policy.Policy;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * Checks and copies the registrations.
   *
   * @param canApprove whether the wallet has an approval callback
   * @throws ConfigurationException when there is no agent policy at all, an agent names an
   *     unregistered fleet, or a policy asks for approval that no callback can give
   */
  Policies(
      Map<String, Policy> fleets,
      Map<String, AgentPolicy> agents,
      AgentPolicy defaultAgent,
      boolean canApprove) {
    if (agents.isEmpty() && defaultAgent == null) {
      throw invalid("a wallet needs at least one agent policy or a default agent policy");
    }
    List<Map.Entry<String, AgentPolicy>> all = new ArrayList<>(agents.entrySet());
    if (defaultAgent != null) {
      all.add(Map.entry("(default agent)", defaultAgent));
    }
    for (Map.Entry<String, AgentPolicy> entry : all) {
      String fleet = entry.getValue().fleet();
      if (fleet != null && !fleets.containsKey(fleet)) {
        throw invalid(
            "agent '" + entry.getKey() + "' names fleet '" + fleet + "', which is not registered");
      }
    }
    if (!canApprove) {
      List<String> asking = new ArrayList<>();
      fleets.forEach((name, p) -> addIfAsking(asking, "fleet '" + name + "'", p));
      all.forEach(e -> addIfAsking(asking, "agent '" + e.getKey() + "'", e.getValue().policy()));
      if (!asking.isEmpty()) {
        throw invalid(
            "the policy of "
                + asking.get(0)
                + " asks for approval, but no approval callback is configured");
      }
    }
    this.fleets = Map.copyOf(fleets);
    this.agents = Map.copyOf(agents);
    this.defaultAgent = defaultAgent;
  }

  private static void addIfAsking(List<String> asking, String who, Policy policy) {
    if (policy.approvalAboveUsdMicros().isPresent()) {
      asking.add(who);
    }
  }

  private static ConfigurationException invalid(String message) {
    return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, message);
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
      throw invalid(
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
