package dev.kos.agent.model;

import java.time.Instant;
import java.util.Map;

/**
 * What an agent tells the allocator about itself on every registration and heartbeat: what it
 * has, what its tasks hold, what is set aside per role, how it enforces limits and how it kills
 * a task's processes ({@code killMethod}, a {@link dev.kos.agent.limits.KillMethod} label).
 */
public record CapacityReport(
    String hostname,
    ResourceSet total,
    ResourceSet used,
    Map<String, ResourceSet> reservations,
    Map<String, String> attributes,
    Instant heartbeatTime,
    Instant startedAt,
    String limitEnforcement,
    String killMethod) {

  public CapacityReport {
    reservations = Map.copyOf(reservations);
    attributes = Map.copyOf(attributes);
  }
}
