package dev.kos.frameworks.apps.core;

/**
 * How a rolling upgrade replaces instances: at least {@code ceil(minimumHealthCapacity × instances)} stay
 * healthy and at most {@code floor((1 + maximumOverCapacity) × instances)} run at once.
 */
public record UpgradeStrategy(double minimumHealthCapacity, double maximumOverCapacity) {

  public static final UpgradeStrategy DEFAULT = new UpgradeStrategy(1.0, 1.0);

  /**
   * The bounds for {@code instances}. When they leave no room to replace anything (the minimum healthy
   * reaches the maximum running, e.g. 1.0 and 0.0, or one instance with 0.5 and 0.5) the planner makes
   * room for one as Marathon does: one extra instance, or, for a resident app whose replacement must
   * reuse the old instance's volume, one healthy instance fewer.
   */
  public Bounds bounds(int instances, boolean resident) {
    int minHealthy = (int) Math.ceil(minimumHealthCapacity * instances - 1e-9);
    int maxRunning = (int) Math.floor((1 + maximumOverCapacity) * instances + 1e-9);
    if (instances > 0 && maxRunning <= minHealthy) {
      return resident ? new Bounds(maxRunning - 1, maxRunning) : new Bounds(minHealthy, minHealthy + 1);
    }
    return new Bounds(minHealthy, maxRunning);
  }

  /** The healthy minimum and the running maximum a plan keeps to. */
  public record Bounds(int minHealthy, int maxRunning) {
  }
}
