package dev.kos.agent.health;

import dev.kos.agent.model.HealthCheckSpec;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns probe results into health changes; pure, time is an argument. A success makes the task
 * healthy; {@code maxConsecutiveFailures} failures in a row make it unhealthy; failures inside the
 * grace period after start do not count (the task may still be warming up). Only a change, or the
 * first verdict, is reported.
 */
public final class HealthTracker {
  private final Instant graceEnds;
  private final int maxConsecutiveFailures;
  private int consecutiveFailures;
  private Boolean healthy;

  public HealthTracker(HealthCheckSpec spec, Instant taskStarted) {
    this.graceEnds = taskStarted.plus(spec.gracePeriod());
    this.maxConsecutiveFailures = spec.maxConsecutiveFailures();
  }

  /** The new health if this result changes it, else empty. */
  public Optional<Boolean> record(Instant at, boolean success) {
    if (success) {
      consecutiveFailures = 0;
      return changeTo(true);
    }
    if (at.isBefore(graceEnds)) {
      return Optional.empty();
    }
    consecutiveFailures++;
    return consecutiveFailures >= maxConsecutiveFailures ? changeTo(false) : Optional.empty();
  }

  private Optional<Boolean> changeTo(boolean now) {
    if (Boolean.valueOf(now).equals(healthy)) {
      return Optional.empty();
    }
    healthy = now;
    return Optional.of(now);
  }
}
