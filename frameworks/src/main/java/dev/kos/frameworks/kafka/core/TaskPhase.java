package dev.kos.frameworks.kafka.core;

import java.util.Optional;

/** A broker task's state as its agent reports it. */
public enum TaskPhase {
  STAGING, STARTING, RUNNING, FINISHED, FAILED, KILLED, LOST, DROPPED, ERROR;

  public boolean terminal() {
    return ordinal() > RUNNING.ordinal();
  }

  /** One status report of a task: its state, health when checked, and the agent's words. */
  public record Update(String taskId, TaskPhase phase, Optional<Boolean> healthy, String message) {
  }
}
