package dev.kos.agent.model;

import java.time.Instant;
import java.util.Map;

/**
 * What an agent tells the allocator about itself on every registration and heartbeat: what it
 * has, what its tasks hold, what is set aside per role, and how it enforces limits.
 */
public record CapacityReport(
    String hostname,
    ResourceSet total,
    ResourceSet used,
    Map<String, ResourceSet> reservations,
    Map<String, String> attributes,
    Instant heartbeatTime,
    Instant startedAt,
    String limitEnforcement) {

  public CapacityReport {
    reservations = Map.copyOf(reservations);
    attributes = Map.copyOf(attributes);
  }
}
