package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.util.Map;
import java.util.Objects;

/**
 * What an agent reports about itself: its capacity, the resources statically reserved for roles, its
 * attributes and whether it is draining. Heartbeats are the shell's business; equal reports are no-ops.
 */
public record AgentSpec(
    String agentId,
    String hostname,
    Resources total,
    Map<String, Resources> staticReservations,
    Map<String, String> attributes,
    boolean draining) {

  public AgentSpec {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(total, "total");
    staticReservations = Map.copyOf(staticReservations);
    attributes = Map.copyOf(attributes);
    Resources reserved = Resources.NONE;
    for (Resources part : staticReservations.values()) {
      reserved = reserved.plus(part);
    }
    if (!total.containsAll(reserved)) {
      throw new IllegalArgumentException(
          "agent " + agentId + " reserves " + reserved + " but has only " + total + " in total");
    }
  }

  public static AgentSpec of(String agentId, Resources total) {
    return new AgentSpec(agentId, agentId, total, Map.of(), Map.of(), false);
  }

  public AgentSpec withStaticReservations(Map<String, Resources> reservations) {
    return new AgentSpec(agentId, hostname, total, reservations, attributes, draining);
  }

  public AgentSpec withDraining(boolean drain) {
    return new AgentSpec(agentId, hostname, total, staticReservations, attributes, drain);
  }
}
