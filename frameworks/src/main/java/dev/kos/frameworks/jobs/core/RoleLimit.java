package dev.kos.frameworks.jobs.core;

import java.util.OptionalDouble;

/** A role's priority and utilization threshold, as configured on the roles topic. */
public record RoleLimit(String role, int priority, OptionalDouble maxClusterUtilization) {

  /** A role nobody configured: priority 0, no threshold (as the allocator assumes). */
  public static RoleLimit defaults(String role) {
    return new RoleLimit(role, 0, OptionalDouble.empty());
  }
}
