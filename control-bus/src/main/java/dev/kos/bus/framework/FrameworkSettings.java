package dev.kos.bus.framework;

import java.time.Duration;
import java.util.Objects;

/**
 * Who a framework is to the allocator.
 *
 * @param failoverTimeout how long the framework's tasks should survive its absence; published on kos.frameworks,
 *     but not enforced yet: nothing kills the tasks of a framework that stays away (issue 5)
 */
public record FrameworkSettings(String frameworkId, String name, String role, double weight, String principal,
    Duration failoverTimeout) {

  public FrameworkSettings {
    Objects.requireNonNull(frameworkId, "frameworkId");
    Objects.requireNonNull(role, "role");
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("framework weight must be a positive number, was " + weight);
    }
  }

  public static FrameworkSettings of(String frameworkId, String role) {
    return new FrameworkSettings(frameworkId, frameworkId, role, 1.0, null, Duration.ofDays(7));
  }
}
