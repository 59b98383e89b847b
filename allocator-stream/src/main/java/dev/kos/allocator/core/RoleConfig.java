package dev.kos.allocator.core;

import dev.kos.model.Ports;
import dev.kos.model.Resources;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A role's fair-share weight, priority, quota and utilization threshold.
 *
 * @param guarantee resources the role is served before fair sharing, while it holds less ({@link Resources#NONE}: none)
 * @param limit resources the role may never hold more of, offers included; every scalar counts, so a limit
 *     with 0 disk allows no disk (map an absent bus value to a large number, not to 0); ports are not limited
 * @param maxClusterUtilization while the cluster's dominant utilization is at or above this, the role, and every
 *     role of lower priority, gets no new offers
 */
public record RoleConfig(
    String role,
    double weight,
    int priority,
    Resources guarantee,
    Optional<Resources> limit,
    OptionalDouble maxClusterUtilization) {

  public RoleConfig {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(guarantee, "guarantee");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(maxClusterUtilization, "maxClusterUtilization");
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("role " + role + " weight must be > 0, got " + weight);
    }
    if (maxClusterUtilization.isPresent()
        && !(maxClusterUtilization.getAsDouble() > 0 && maxClusterUtilization.getAsDouble() <= 1)) {
      throw new IllegalArgumentException("role " + role + " maxClusterUtilization must be in (0, 1], got "
          + maxClusterUtilization.getAsDouble());
    }
    if (limit.isPresent() && !limit.get().containsAll(guarantee.withPorts(Ports.NONE))) {
      throw new IllegalArgumentException(
          "role " + role + " guarantee " + guarantee + " exceeds its limit " + limit.get());
    }
  }

  /** The configuration of a role nobody configured: weight 1, priority 0, no quota, no threshold. */
  public static RoleConfig defaults(String role) {
    return new RoleConfig(role, 1.0, 0, Resources.NONE, Optional.empty(), OptionalDouble.empty());
  }

  public RoleConfig withWeight(double newWeight) {
    return new RoleConfig(role, newWeight, priority, guarantee, limit, maxClusterUtilization);
  }

  public RoleConfig withGuarantee(Resources newGuarantee) {
    return new RoleConfig(role, weight, priority, newGuarantee, limit, maxClusterUtilization);
  }

  public RoleConfig withLimit(Resources newLimit) {
    return new RoleConfig(role, weight, priority, guarantee, Optional.of(newLimit), maxClusterUtilization);
  }

  public RoleConfig withMaxClusterUtilization(double threshold) {
    return new RoleConfig(role, weight, priority, guarantee, limit, OptionalDouble.of(threshold));
  }

  public RoleConfig withPriority(int newPriority) {
    return new RoleConfig(role, weight, newPriority, guarantee, limit, maxClusterUtilization);
  }
}
