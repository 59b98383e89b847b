package dev.kos.agent.lifecycle;

import java.time.Duration;

/** Something that happened to a task: the input of {@link TaskLifecycle#on}. */
public sealed interface LifecycleEvent {
  /** The launch was refused before anything ran (bad command, not enough resources, ...). */
  record Rejected(String reason) implements LifecycleEvent {
  }

  /** The shell is about to start the process. */
  record Starting() implements LifecycleEvent {
  }

  /** The process is running. */
  record Started() implements LifecycleEvent {
  }

  /** The process could not be started. */
  record LaunchFailed(String reason) implements LifecycleEvent {
  }

  /**
   * The process ended. {@code exitCode} is null when no exit code was recorded (the agent was
   * not its parent and the wrapper did not write one); {@code limitViolation} is non-null when
   * the kernel killed it for a cgroup limit.
   */
  record Exited(Integer exitCode, String stderrTail, String limitViolation) implements LifecycleEvent {
  }

  record KillRequested(Duration gracePeriod) implements LifecycleEvent {
  }

  record GraceExpired() implements LifecycleEvent {
  }

  /** The watchdog saw the task over a limit. */
  record LimitExceeded(String reason) implements LifecycleEvent {
  }

  record HealthChanged(boolean healthy) implements LifecycleEvent {
  }

  /**
   * The task's checkpoint could not be written ({@code reason} says why). {@code processRecorded}:
   * an earlier checkpoint already holds the task's running process, so a restarted agent would
   * still find it.
   */
  record CheckpointFailed(String reason, boolean processRecorded) implements LifecycleEvent {
  }

  /**
   * The task's wrapper killed it because the agent had stopped renewing its task lease (the agent
   * froze or died); {@code reason} says so, as the wrapper recorded it.
   */
  record LeaseExpired(String reason) implements LifecycleEvent {
  }

  /** The task's process is gone and nothing says how it ended. */
  record Lost(String reason) implements LifecycleEvent {
  }
}
