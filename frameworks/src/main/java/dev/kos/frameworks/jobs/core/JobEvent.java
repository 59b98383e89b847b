package dev.kos.frameworks.jobs.core;

import java.util.Map;
import java.util.Optional;

/** A change users watch on the status topic (kind JOB_WAITING, JOB_STARTED, ...). */
public record JobEvent(String jobId, Kind kind, String message, Optional<Run> run) {

  public enum Kind {
    JOB_ACCEPTED, JOB_WAITING, JOB_STARTED, JOB_FINISHED, JOB_RETRY, JOB_FAILED, JOB_DEADLINE_EXCEEDED, JOB_SKIPPED
  }

  /** Tallies of the run: attempt, failures. */
  public Map<String, Integer> counts() {
    return run.map(r -> Map.of("run", r.number(), "attempt", r.attempt(), "failures", r.failures()))
        .orElse(Map.of());
  }
}
