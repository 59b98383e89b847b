package dev.kos.allocator.scaling;

import java.time.Duration;
import java.util.Objects;

/**
 * The autoscaler's timing and the cluster advisor's watermarks.
 *
 * @param interval          how often policies are evaluated (wall clock)
 * @param metricFreshness   a sample older than this no longer counts
 * @param agentFreshness    an agent whose load was not heard of for this long no longer counts
 * @param clusterHigh       utilization at or above which, held for {@code highWindow}, more agents are advised
 * @param highWindow        how long utilization must stay high
 * @param pendingWindow     how long instances must wait unplaced before more agents are advised
 * @param clusterLow        utilization below which, held for {@code lowWindow}, draining agents is advised
 * @param lowWindow         how long utilization must stay low
 */
public record ScalingSettings(Duration interval, Duration metricFreshness, Duration agentFreshness,
    double clusterHigh, Duration highWindow, Duration pendingWindow, double clusterLow, Duration lowWindow) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  public ScalingSettings {
    for (Duration duration : new Duration[] {interval, metricFreshness, agentFreshness}) {
      Objects.requireNonNull(duration, "durations");
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("scaling interval and freshness must be positive, was " + duration);
      }
    }
    for (Duration duration : new Duration[] {highWindow, pendingWindow, lowWindow}) {
      Objects.requireNonNull(duration, "windows");
      if (duration.isNegative()) {
        throw new IllegalArgumentException("cluster advisory windows must not be negative, was " + duration);
      }
    }
    if (!(clusterLow >= 0 && clusterLow < clusterHigh && clusterHigh <= 1)) {
      throw new IllegalArgumentException("cluster watermarks need 0 <= low < high <= 1, were low " + clusterLow
          + " and high " + clusterHigh);
    }
  }

  /** Evaluate every second; samples count for 30 s; 90 % for 5 min or 2 min unplaced → up; 30 % for 15 min → down. */
  public static ScalingSettings defaults() {
    return new ScalingSettings(DEFAULT_INTERVAL, Duration.ofSeconds(30), Duration.ofSeconds(90), 0.9,
        Duration.ofMinutes(5), Duration.ofMinutes(2), 0.3, Duration.ofMinutes(15));
  }

  public ScalingSettings withInterval(Duration newInterval) {
    return new ScalingSettings(newInterval, metricFreshness, agentFreshness, clusterHigh, highWindow, pendingWindow,
        clusterLow, lowWindow);
  }

  public ScalingSettings withClusterWindows(Duration high, Duration pending, Duration low) {
    return new ScalingSettings(interval, metricFreshness, agentFreshness, clusterHigh, high, pending, clusterLow, low);
  }
}
