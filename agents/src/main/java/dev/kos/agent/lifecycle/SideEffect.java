package dev.kos.agent.lifecycle;

import dev.kos.model.TaskState;
import java.time.Duration;

/** What the state machine wants done; the shell carries these out, in order. */
public sealed interface SideEffect {
  /** Checkpoint and publish a status; null fields are left out of the update. */
  record ReportStatus(TaskState state, String message, Integer exitCode, Boolean healthy) implements SideEffect {
  }

  /** SIGTERM to the task's processes (not the wrapper, so that it records the exit code). */
  record SendSigterm() implements SideEffect {
  }

  /** Deliver {@link LifecycleEvent.GraceExpired} after this long. */
  record ScheduleSigkill(Duration after) implements SideEffect {
  }

  /** SIGKILL to the whole process tree, wrapper included. */
  record SendSigkill() implements SideEffect {
  }

  /** Stop health checks and monitoring, ship the last log lines, release resources and volumes. */
  record Cleanup() implements SideEffect {
  }
}
