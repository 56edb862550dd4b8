package dev.mpp.wallet.policy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every policy of a deployment: fleets, agents (each optionally in a fleet), and optionally a
 * template for agents not listed. Loaded from one JSON file (format in {@code SPENDING.md}) or
 * assembled in code, then handed to the wallet builder.
 *
 * @param fleets fleet policies by fleet name
 * @param agents agent policies by agent name
 * @param defaultAgent the policy for agents not listed, or null to refuse them
 */
public record PolicySet(
    Map<String, Policy> fleets, Map<String, AgentPolicy> agents, AgentPolicy defaultAgent) {

  /** Copies the maps and checks that every named fleet exists. */
  public PolicySet {
    fleets = Collections.unmodifiableMap(new LinkedHashMap<>(fleets));
    agents = Collections.unmodifiableMap(new LinkedHashMap<>(agents));
    for (String name : fleets.keySet()) {
      if (name.isBlank()) {
        throw invalid("fleet name must not be blank");
      }
    }
    for (Map.Entry<String, AgentPolicy> entry : agents.entrySet()) {
      if (entry.getKey().isBlank()) {
        throw invalid("agent name must not be blank");
      }
      checkFleet(fleets, entry.getValue(), "agent '" + entry.getKey() + "'");
    }
    if (defaultAgent != null) {
      checkFleet(fleets, defaultAgent, "defaultAgent");
    }
  }

  private static void checkFleet(Map<String, Policy> fleets, AgentPolicy agent, String who) {
    if (agent.fleet() != null && !fleets.containsKey(agent.fleet())) {
      throw invalid(who + " names fleet '" + agent.fleet() + "', which has no policy");
    }
  }

  private static ConfigurationException invalid(String message) {
    return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, message);
  }

  /**
   * Parses a policy set from JSON.
   *
   * @throws ConfigurationException with a one-line message naming the problem
   */
  public static PolicySet fromJson(String json) {
    return PolicyJson.parseSet(json, "policies");
  }

  /**
   * Loads a policy set from a JSON file.
   *
   * @throws ConfigurationException when the file cannot be read or is invalid
   */
  public static PolicySet load(Path file) {
    return PolicyJson.parseSet(Policy.read(file), file.toString());
  }

  /** The template for agents not listed, if any. */
  public Optional<AgentPolicy> defaultAgentPolicy() {
    return Optional.ofNullable(defaultAgent);
  }
}
