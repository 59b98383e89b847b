package dev.kos.allocator.scaling;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The latest gauges of one source: a task of an app (per-instance values) or a service speaking for a
 * whole app (totals). Agent samples are mapped to {@link dev.kos.allocator.core.AgentLoad} instead.
 */
public record Sample(String sourceId, Kind kind, String appId, Map<String, Double> values, Instant at) {

  public Sample {
    Objects.requireNonNull(sourceId, "sourceId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    values = Map.copyOf(values);
  }

  /** Who speaks: one task of the app, or the service as a whole. */
  public enum Kind {
    TASK,
    SERVICE
  }
}
