package dev.kos.allocator.scaling;

import dev.kos.model.ScaleMode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A decision to scale an app (SERVICE) or the cluster (CLUSTER, always advisory): from, to, the metric
 * values it saw, the policy it applied and why, in words a person can check.
 */
public record Decision(String target, Kind kind, int from, int to, String reason, String policy, ScaleMode mode,
    Map<String, Double> metrics, Instant at) {

  public Decision {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(reason, "reason");
    metrics = Map.copyOf(metrics);
  }

  public enum Kind {
    SERVICE,
    CLUSTER
  }
}
