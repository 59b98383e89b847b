package dev.kos.frameworks.jobs.core;

import dev.kos.model.TaskState;
import dev.kos.model.TaskStatusUpdate;
import java.util.Optional;

/**
 * A status report for one task as the jobs core reads it: the model's update with its words settled (the agent's
 * message, or the bare exit code when it said nothing), since a run's message quotes them.
 */
public record TaskUpdate(String taskId, String agentId, TaskState phase, String message) {

  public static TaskUpdate of(TaskStatusUpdate status) {
    // Agents say how a task ended in their message ("exited with code 3"); the bare code stands in without one.
    String message = status.message().filter(m -> !m.isBlank())
        .or(() -> status.exitCode().map(code -> "exit code " + code)).orElse("");
    return new TaskUpdate(status.taskId(), status.agentId(), status.state(), message);
  }
}
