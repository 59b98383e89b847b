package dev.kos.frameworks.jobs.core;

import java.time.Duration;

/**
 * The jobs core's knobs.
 *
 * @param backoffBase  the wait before the first retry; it doubles with each further failure
 * @param backoffMax   the longest wait before a retry
 * @param history      runs kept per job
 * @param refuseWhileWaiting decline filter for unused offers while some run waits
 * @param refuseIdle   decline filter for unused offers while nothing waits
 */
public record JobsConfig(Duration backoffBase, Duration backoffMax, int history, Duration refuseWhileWaiting,
    Duration refuseIdle) {

  public static final JobsConfig DEFAULT = new JobsConfig(Duration.ofSeconds(1), Duration.ofMinutes(5), 10,
      Duration.ofSeconds(5), Duration.ofMinutes(2));

  public Duration backoff(int failures) {
    Duration wait = backoffBase;
    for (int i = 1; i < failures && wait.compareTo(backoffMax) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(backoffMax) < 0 ? wait : backoffMax;
  }
}
