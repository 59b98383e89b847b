package dev.kos.frameworks.apps.core;

import java.util.Map;
import java.util.Optional;

/** Where an instance runs or an offer comes from: the agent, its hostname and its attributes. */
public record Agent(String agentId, String hostname, Map<String, String> attributes) {

  public Agent {
    attributes = Map.copyOf(attributes);
  }

  public static Agent of(String agentId) {
    return new Agent(agentId, agentId, Map.of());
  }

  /** The value a constraint on {@code field} sees: the hostname for {@code hostname}, else the attribute. */
  public Optional<String> valueOf(String field) {
    return Constraint.HOSTNAME.equals(field) ? Optional.of(hostname) : Optional.ofNullable(attributes.get(field));
  }
}
