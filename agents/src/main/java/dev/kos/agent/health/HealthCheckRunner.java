package dev.kos.agent.health;

import dev.kos.agent.model.HealthCheckSpec;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a task's probe every interval on a shared scheduler and hands health changes to a listener. */
public final class HealthCheckRunner {
  private static final Logger log = LoggerFactory.getLogger(HealthCheckRunner.class);

  private final String taskId;
  private final HealthCheckSpec spec;
  private final HealthProbe probe;
  private final HealthTracker tracker;
  private final Clock clock;
  private final Consumer<Boolean> onChange;
  private ScheduledFuture<?> schedule;

  public HealthCheckRunner(String taskId, HealthCheckSpec spec, HealthProbe probe, Clock clock,
      Consumer<Boolean> onChange) {
    this.taskId = taskId;
    this.spec = spec;
    this.probe = probe;
    this.clock = clock;
    this.tracker = new HealthTracker(spec, clock.instant());
    this.onChange = onChange;
  }

  public synchronized void start(ScheduledExecutorService scheduler) {
    schedule = scheduler.scheduleWithFixedDelay(this::checkOnce, 0, spec.interval().toMillis(), TimeUnit.MILLISECONDS);
  }

  public synchronized void stop() {
    if (schedule != null) {
      schedule.cancel(false);
    }
  }

  void checkOnce() {
    ProbeResult result = probe.probe(spec.timeout());
    log.debug("health of task {}: {}", taskId, result);
    tracker.record(clock.instant(), result.healthy()).ifPresent(healthy -> {
      log.info("task {} is now {}: {}", taskId, healthy ? "healthy" : "unhealthy", result.detail());
      onChange.accept(healthy);
    });
  }
}
