package dev.kos.allocator.core;

import java.util.Objects;

/** A framework's registration: the role it allocates under, its weight within the role, suppression. */
public record FrameworkSpec(String frameworkId, String role, double weight, boolean suppressed) {

  public FrameworkSpec {
    Objects.requireNonNull(frameworkId, "frameworkId");
    Objects.requireNonNull(role, "role");
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("framework " + frameworkId + " weight must be > 0, got " + weight);
    }
  }

  public static FrameworkSpec of(String frameworkId, String role) {
    return new FrameworkSpec(frameworkId, role, 1.0, false);
  }

  public FrameworkSpec withSuppressed(boolean suppress) {
    return new FrameworkSpec(frameworkId, role, weight, suppress);
  }
}
