package dev.kos.frameworks.jobs.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A job and what became of it: its recent runs (oldest first, the last may be current), how many runs it
 * had, when its schedule fires next and why its current run waits.
 */
public record Job(JobDefinition definition, List<Run> runs, int runCount, Optional<Instant> nextRunAt,
    Optional<String> waiting) {

  public Job {
    runs = List.copyOf(runs);
  }

  public String id() {
    return definition.id();
  }

  /** The latest run while it has not ended. */
  public Optional<Run> current() {
    return last().filter(run -> !run.state().ended());
  }

  public Optional<Run> last() {
    return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1));
  }

  Job withDefinition(JobDefinition newDefinition, Optional<Instant> next) {
    return new Job(newDefinition, runs, runCount, next, waiting);
  }

  Job withNextRunAt(Optional<Instant> next) {
    return new Job(definition, runs, runCount, next, waiting);
  }

  Job withWaiting(Optional<String> reason) {
    return new Job(definition, runs, runCount, nextRunAt, reason);
  }

  /** Adds a new waiting run, dropping the oldest runs beyond {@code history}. */
  Job withNewRun(int history) {
    List<Run> kept = new ArrayList<>(runs);
    kept.add(Run.first(id(), runCount + 1));
    while (kept.size() > history) {
      kept.remove(0);
    }
    return new Job(definition, kept, runCount + 1, nextRunAt, waiting);
  }

  /** Replaces the latest run. */
  Job withCurrent(Run run) {
    List<Run> changed = new ArrayList<>(runs);
    changed.set(changed.size() - 1, run);
    return new Job(definition, changed, runCount, nextRunAt, run.state() == RunState.WAITING ? waiting
        : Optional.empty());
  }
}
