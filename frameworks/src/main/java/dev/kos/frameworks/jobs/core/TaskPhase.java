package dev.kos.frameworks.jobs.core;

/** A task's state as agents and the allocator report it. */
public enum TaskPhase {
  STAGING, STARTING, RUNNING, FINISHED, FAILED, KILLED, LOST,
  /** The allocator refused the launch: the task never reached an agent. */
  DROPPED,
  ERROR
}
