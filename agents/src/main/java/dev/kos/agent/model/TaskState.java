package dev.kos.agent.model;

/** A task's state as the bus knows it; the agent's own copy of {@code dev.kos.schema.TaskState}. */
public enum TaskState {
  STAGING, STARTING, RUNNING, FINISHED, FAILED, KILLED, LOST, DROPPED, ERROR;

  public boolean terminal() {
    return switch (this) {
      case STAGING, STARTING, RUNNING -> false;
      case FINISHED, FAILED, KILLED, LOST, DROPPED, ERROR -> true;
    };
  }
}
