package dev.kos.agent.model;

/** Who a task belongs to, as carried on every log line and metric; {@code appId} may be null. */
public record TaskRef(String taskId, String frameworkId, String appId) {
  public static TaskRef of(TaskSpec task) {
    return new TaskRef(task.taskId(), task.frameworkId(), task.appId());
  }
}
