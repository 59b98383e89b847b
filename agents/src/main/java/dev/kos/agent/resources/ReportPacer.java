package dev.kos.agent.resources;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When one agent reports a change of its used resources on kos.agents: the one rule the real agent
 * ({@code BusAgent}) and the simulated fleet ({@code SimulatedFleet}) share. A change goes out at once when the
 * agent's last report is at least {@link #INTERVAL} old; otherwise it is held and goes out when that interval is
 * over, as one report of whatever is used then, so a burst of launches and ends costs one record, not one each.
 * Registrations and heartbeats are not paced: they go out when due and count as the last report, so a held change
 * they carry is no longer pending. No agent reports more than one paced change per interval, and the last change is
 * on the bus at most {@link #INTERVAL} after it happened (plus the shell's scheduling delay).
 *
 * <p>Nothing reads a report's {@code used} to decide a placement: the allocator counts its own placements, so a
 * later report cannot make it over-allocate. What waits is what shows an agent's use: {@code kos agent list}, the
 * API's agent views and the jobs framework's utilization limit see a change up to one interval later.
 *
 * <p>Pure: time is an input. Not thread-safe: each shell calls it from one thread (or under one lock).
 */
public final class ReportPacer {
  /** The shortest time between two reports of changed used resources of one agent. */
  public static final Duration INTERVAL = Duration.ofMillis(250);

  private final Duration interval;
  private Instant lastReport;
  private boolean pending;

  public ReportPacer() {
    this(INTERVAL);
  }

  public ReportPacer(Duration interval) {
    if (interval == null || interval.isNegative()) {
      throw new IllegalArgumentException("report pacing interval must be zero or more, got " + interval);
    }
    this.interval = interval;
  }

  /** A report went out at {@code at}: a registration, a heartbeat, or a change this pacer let through. */
  public void reported(Instant at) {
    lastReport = Objects.requireNonNull(at, "at");
    pending = false;
  }

  /**
   * Used resources changed at {@code now}. True: report now (and call {@link #reported}). False: the change is held
   * until {@link #dueAt()}; report it then, when {@link #due} says so.
   */
  public boolean changed(Instant now) {
    if (lastReport == null || !now.isBefore(lastReport.plus(interval))) {
      return true;
    }
    pending = true;
    return false;
  }

  /** Whether a held change should go out at {@code now}. */
  public boolean due(Instant now) {
    return pending && !now.isBefore(lastReport.plus(interval));
  }

  /** When the held change is due, if one is held. */
  public Optional<Instant> dueAt() {
    return pending ? Optional.of(lastReport.plus(interval)) : Optional.empty();
  }
}
