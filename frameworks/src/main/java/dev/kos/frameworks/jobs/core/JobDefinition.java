package dev.kos.frameworks.jobs.core;

import dev.kos.model.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A batch job as the user asked for it; {@link JobValidator} says whether it makes sense.
 *
 * @param schedule cron or {@code @every} expression (see {@link Schedule}); empty: run once
 * @param retries  how many times a failed run is launched again before it counts as failed
 * @param deadline how long a run may take, from its first launch, across its retries
 */
public record JobDefinition(String id, Optional<String> cmd, List<String> argv, double cpus, double mem, double disk,
    Map<String, String> env, Optional<String> schedule, int retries, Optional<Duration> deadline, String role) {

  public JobDefinition {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }

  public Resources resources() {
    return Resources.of(cpus, mem, disk);
  }

  /** The parsed schedule; call only on a validated definition. */
  public Optional<Schedule> parsedSchedule() {
    return schedule.map(Schedule::parse);
  }
}
