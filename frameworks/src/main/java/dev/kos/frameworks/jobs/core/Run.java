package dev.kos.frameworks.jobs.core;

import java.time.Instant;
import java.util.Optional;

/**
 * One run of a job: a run-once job has one, a scheduled job one per fire time. A run launches attempts
 * (task id {@code <runId>.<attempt>}) until one finishes, its retries are spent or its deadline passes.
 *
 * @param attempt   launches so far
 * @param failures  attempts that failed; a run is retried while {@code failures <= retries}
 * @param startedAt the first launch, from which the deadline counts
 * @param retryAt   a waiting run is not launched before this
 */
public record Run(String runId, int number, int attempt, int failures, RunState state, Optional<String> taskId,
    Optional<String> agentId, Optional<Instant> startedAt, Optional<Instant> endedAt, Optional<Instant> retryAt,
    String message) {

  static Run first(String jobId, int number) {
    return new Run(jobId + "." + number, number, 0, 0, RunState.WAITING, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), "");
  }

  /** The attempt after this one was launched on {@code agentId}. */
  Run launched(String agentId, Instant now) {
    int next = attempt + 1;
    return new Run(runId, number, next, failures, RunState.LAUNCHED, Optional.of(runId + "." + next),
        Optional.of(agentId), Optional.of(startedAt.orElse(now)), Optional.empty(), Optional.empty(),
        "attempt " + next + " launched on " + agentId);
  }

  Run inState(RunState newState, String why) {
    return new Run(runId, number, attempt, failures, newState, taskId, agentId, startedAt, endedAt, retryAt, why);
  }

  Run ended(RunState end, Instant now, String why) {
    return new Run(runId, number, attempt, failures, end, taskId, agentId, startedAt, Optional.of(now),
        Optional.empty(), why);
  }

  /** Back to waiting after a failed attempt ({@code failed}) or one the allocator dropped before it started. */
  Run waitingAgain(boolean failed, Optional<Instant> until, String why) {
    return new Run(runId, number, attempt, failed ? failures + 1 : failures, RunState.WAITING, taskId, agentId,
        startedAt, endedAt, until, why);
  }

  boolean readyToLaunch(Instant now) {
    return state == RunState.WAITING && retryAt.map(at -> !at.isAfter(now)).orElse(true);
  }
}
