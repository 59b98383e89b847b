package dev.kos.model;

/** A task's state as the bus knows it (the values of the schema's {@code TaskState}, in the same order). */
public enum TaskState {
  STAGING, STARTING, RUNNING, FINISHED, FAILED, KILLED, LOST,
  /** The allocator refused the launch: the task never reached an agent. */
  DROPPED,
  ERROR;

  /** Whether the task has ended: no later state follows for the same task id. */
  public boolean terminal() {
    return switch (this) {
      case STAGING, STARTING, RUNNING -> false;
      case FINISHED, FAILED, KILLED, LOST, DROPPED, ERROR -> true;
    };
  }
}
