package dev.kos.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One report on a task of a framework: its state, and what the agent added to it.
 *
 * @param agentId   the agent running the task; empty when no agent reported on it (a reconciliation's answer
 *                  for a task kos has no record of)
 * @param resources what the agent holds for the task, when it reports that
 * @param limitEnforcement how the agent enforces the task's limits (for example {@code cgroups}), when it says
 */
public record TaskStatusUpdate(String taskId, String frameworkId, String agentId, Optional<String> appId,
    TaskState state, Optional<String> message, Optional<Integer> exitCode, Optional<Boolean> healthy,
    Optional<Resources> resources, Optional<String> limitEnforcement, Instant timestamp) {

  public TaskStatusUpdate {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(frameworkId, "frameworkId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(timestamp, "timestamp");
  }

  /** A report with only a state and the reporter's words, as a framework's tests write one. */
  public static TaskStatusUpdate of(String taskId, String frameworkId, String agentId, TaskState state,
      String message, Instant timestamp) {
    return new TaskStatusUpdate(taskId, frameworkId, agentId, Optional.empty(), state, Optional.ofNullable(message),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), timestamp);
  }

  /** Whether this report is a reconciliation's answer that no agent ever reported on the task. */
  public boolean unknownToKos() {
    return agentId.isEmpty() && state == TaskState.LOST;
  }
}
