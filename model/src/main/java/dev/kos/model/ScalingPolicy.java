package dev.kos.model;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * An app's target-tracking policy, in the spirit of Kubernetes' HorizontalPodAutoscaler and its
 * {@code behavior}: keep the per-instance value of one metric near a target, within bounds and steps.
 * The apps framework keeps the policy an operator set (and reports each field it cannot accept with its own,
 * stricter limits); the allocator's autoscaler acts on it, and {@link #requireValid} is the one rule a policy
 * must meet to be acted on. The constructor does not check it, so that a framework can hold a bad policy
 * long enough to say which field to fix.
 *
 * @param metric      the gauge's name in the samples, e.g. {@code requestsPerSecond}
 * @param target      the wanted per-instance value
 * @param tolerance   no change while |observed / target - 1| is at most this
 * @param cooldown    no decision for this long after the last one
 * @param upWindow    scale up only to the lowest recommendation seen over this window
 * @param downWindow  scale down only to the highest recommendation seen over this window
 */
public record ScalingPolicy(String metric, double target, int minInstances, int maxInstances, double tolerance,
    int maxStepUp, int maxStepDown, Duration cooldown, Duration upWindow, Duration downWindow, ScaleMode mode) {

  public ScalingPolicy {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(cooldown, "cooldown");
    Objects.requireNonNull(upWindow, "upWindow");
    Objects.requireNonNull(downWindow, "downWindow");
  }

  /** This policy, if the autoscaler can follow it; otherwise an error naming the field to fix. */
  public ScalingPolicy requireValid() {
    require(!metric.isBlank(), "the policy names no metric; set metric to a gauge the app reports");
    require(target > 0 && Double.isFinite(target), "target must be a positive number, was " + target);
    require(minInstances >= 0, "minInstances must be at least 0, was " + minInstances);
    require(maxInstances >= minInstances && maxInstances >= 1,
        "maxInstances must be at least 1 and at least minInstances (" + minInstances + "), was " + maxInstances);
    require(tolerance >= 0 && tolerance < 1, "tolerance must be in [0, 1), was " + tolerance);
    require(maxStepUp >= 1, "maxStepUp must be at least 1, was " + maxStepUp);
    require(maxStepDown >= 1, "maxStepDown must be at least 1, was " + maxStepDown);
    for (Duration duration : new Duration[] {cooldown, upWindow, downWindow}) {
      Objects.requireNonNull(duration, "durations");
      require(!duration.isNegative(), "cooldown and stabilization windows must not be negative, was " + duration);
    }
    return this;
  }

  public boolean automatic() {
    return mode == ScaleMode.AUTOMATIC;
  }

  /** The defaults of the bus schema for the rest: tolerance 0.1, steps +4/-1, cooldown 60 s, windows 0 s/300 s. */
  public static ScalingPolicy of(String metric, double target, int minInstances, int maxInstances, ScaleMode mode) {
    return new ScalingPolicy(metric, target, minInstances, maxInstances, 0.1, 4, 1, Duration.ofSeconds(60),
        Duration.ZERO, Duration.ofSeconds(300), mode).requireValid();
  }

  public ScalingPolicy withSteps(int up, int down) {
    return new ScalingPolicy(metric, target, minInstances, maxInstances, tolerance, up, down, cooldown, upWindow,
        downWindow, mode).requireValid();
  }

  public ScalingPolicy withCooldown(Duration newCooldown) {
    return new ScalingPolicy(metric, target, minInstances, maxInstances, tolerance, maxStepUp, maxStepDown, newCooldown,
        upWindow, downWindow, mode).requireValid();
  }

  public ScalingPolicy withWindows(Duration up, Duration down) {
    return new ScalingPolicy(metric, target, minInstances, maxInstances, tolerance, maxStepUp, maxStepDown, cooldown,
        up, down, mode).requireValid();
  }

  /** The policy in one line, as decisions quote it. */
  public String describe() {
    return metric + " target " + number(target) + " per instance, instances " + minInstances + ".." + maxInstances
        + ", tolerance " + number(tolerance) + ", steps +" + maxStepUp + "/-" + maxStepDown + ", cooldown "
        + cooldown.toSeconds() + "s, stabilization up " + upWindow.toSeconds()
        + "s down " + downWindow.toSeconds() + "s, " + mode;
  }

  /** A number as decisions quote it: whole numbers without decimals, others with two. */
  public static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("invalid scaling policy: " + message);
    }
  }
}
