package dev.kos.frameworks.apps.core;

import java.time.Duration;

/**
 * The planner's settings.
 *
 * @param backoffInitial the wait before relaunching an instance that failed once; doubled per failure in a row
 * @param backoffMax the longest wait
 * @param residencyTimeout how long a stateful instance's agent may be lost before it is placed elsewhere
 * @param refuseWhenIdle how long unused offers are declined for when nothing waits for an offer
 * @param refuseWhenWaiting how long unused offers are declined for while instances wait to be placed
 * @param stagingTimeout how long a launched task may go without any agent reporting on it before it is killed
 *     and replaced (Marathon's task launch timeout): a launch that was lost, or never sent because the
 *     framework died between writing its intent and sending the accept
 */
public record PlannerConfig(Duration backoffInitial, Duration backoffMax, Duration residencyTimeout,
    Duration refuseWhenIdle, Duration refuseWhenWaiting, Duration stagingTimeout) {

  public static final PlannerConfig DEFAULT = new PlannerConfig(Duration.ofSeconds(1), Duration.ofMinutes(5),
      Duration.ofMinutes(10), Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofSeconds(60));

  /** The wait before relaunch after {@code failures} failures in a row: 0, 1 s, 2 s, 4 s, ... up to the max. */
  public Duration backoff(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failures - 1, 30);
    Duration wait = backoffInitial.multipliedBy(1L << doublings);
    return wait.compareTo(backoffMax) > 0 ? backoffMax : wait;
  }
}
