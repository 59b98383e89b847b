package dev.kos.agent.model;

/** Where a log line came from: the task's stdout or stderr, or the agent itself. */
public enum LogSource {
  STDOUT, STDERR, SYSTEM
}
