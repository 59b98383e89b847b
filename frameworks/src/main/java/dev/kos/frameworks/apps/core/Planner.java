package dev.kos.frameworks.apps.core;

/**
 * The apps framework's scheduler as a pure function (Nomad's reconciler and plan): desired apps, actual
 * instances, outstanding offers and the time in; a {@link Plan} of decisions out. Per app, in id order:
 * <ol>
 *   <li>instances of removed apps are killed and forgotten;</li>
 *   <li>surplus instances of the current version are killed, unhealthy and newest first;</li>
 *   <li>instances of other versions are killed while the healthy count stays at or above the minimum;</li>
 *   <li>missing instances are launched, ended ones first (after their backoff, stateful ones on their
 *       agent), while the running count stays at or below the maximum; what no offer takes is
 *       reported unplaced with the aggregated vetoes;</li>
 * </ol>
 * then unused offers are declined.
 */
public final class Planner {

  private final PlannerConfig config;

  public Planner(PlannerConfig config) {
    this.config = config;
  }

  public Plan plan(Snapshot snapshot) {
    return new PlanRound(config, snapshot).run();
  }
}
