package dev.kos.bus.framework;

import java.time.Duration;
import java.util.Objects;

/**
 * Who a framework is to the allocator.
 *
 * @param failoverTimeout how long the framework's tasks survive its absence: a framework that comes back within it
 *     reconciles and finds them running; once it has sent no heartbeat for longer, the allocator kills its tasks
 */
public record FrameworkSettings(String frameworkId, String name, String role, double weight, String principal,
    Duration failoverTimeout) {

  private static final Duration MAX_HEARTBEAT = Duration.ofSeconds(5);
  private static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);

  public FrameworkSettings {
    Objects.requireNonNull(frameworkId, "frameworkId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(failoverTimeout, "failoverTimeout");
    if (failoverTimeout.isNegative() || failoverTimeout.isZero()) {
      throw new IllegalArgumentException("failover timeout must be positive, was " + failoverTimeout);
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("framework weight must be a positive number, was " + weight);
    }
  }

  /** How often the driver says the framework is alive: every 5 s, or often enough for a short failover timeout. */
  public Duration heartbeatInterval() {
    Duration third = failoverTimeout.dividedBy(3);
    Duration interval = third.compareTo(MAX_HEARTBEAT) < 0 ? third : MAX_HEARTBEAT;
    return interval.compareTo(MIN_HEARTBEAT) > 0 ? interval : MIN_HEARTBEAT;
  }

  public FrameworkSettings withFailoverTimeout(Duration timeout) {
    return new FrameworkSettings(frameworkId, name, role, weight, principal, timeout);
  }

  public static FrameworkSettings of(String frameworkId, String role) {
    return new FrameworkSettings(frameworkId, frameworkId, role, 1.0, null, Duration.ofDays(7));
  }
}
