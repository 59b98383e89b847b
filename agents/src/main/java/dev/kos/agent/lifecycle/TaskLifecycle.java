package dev.kos.agent.lifecycle;

import dev.kos.agent.lifecycle.LifecycleEvent.CheckpointFailed;
import dev.kos.agent.lifecycle.LifecycleEvent.Exited;
import dev.kos.agent.lifecycle.LifecycleEvent.GraceExpired;
import dev.kos.agent.lifecycle.LifecycleEvent.HealthChanged;
import dev.kos.agent.lifecycle.LifecycleEvent.KillRequested;
import dev.kos.agent.lifecycle.LifecycleEvent.LaunchFailed;
import dev.kos.agent.lifecycle.LifecycleEvent.LeaseExpired;
import dev.kos.agent.lifecycle.LifecycleEvent.LimitExceeded;
import dev.kos.agent.lifecycle.LifecycleEvent.Lost;
import dev.kos.agent.lifecycle.LifecycleEvent.Rejected;
import dev.kos.agent.lifecycle.LifecycleEvent.Started;
import dev.kos.agent.lifecycle.LifecycleEvent.Starting;
import dev.kos.agent.lifecycle.SideEffect.Cleanup;
import dev.kos.agent.lifecycle.SideEffect.ReportStatus;
import dev.kos.agent.lifecycle.SideEffect.ScheduleSigkill;
import dev.kos.agent.lifecycle.SideEffect.SendSigkill;
import dev.kos.agent.lifecycle.SideEffect.SendSigterm;
import dev.kos.model.TaskState;
import java.util.List;

/**
 * A task's lifecycle as a pure state machine (after Aurora's TaskStateMachine): {@link #on} takes
 * an event and returns the next lifecycle plus the side effects a shell must carry out. A task
 * being killed stays in its bus state (RUNNING) with {@code kill} set; the kill decides how the
 * exit is reported. {@code kill} and {@code healthy} may be null.
 */
public record TaskLifecycle(TaskState state, Kill kill, Boolean healthy) {

  /** Why the agent is killing a task: at the framework's request (→ KILLED) or for a limit (→ FAILED). */
  public record Kill(boolean requested, String reason) {
    static Kill byRequest() {
      return new Kill(true, "killed at the framework's request");
    }

    static Kill forLimit(String reason) {
      return new Kill(false, reason);
    }

    static Kill forFailure(String reason) {
      return new Kill(false, reason);
    }
  }

  public static TaskLifecycle staging() {
    return new TaskLifecycle(TaskState.STAGING, null, null);
  }

  public boolean killing() {
    return kill != null && !state.terminal();
  }

  public Transition on(LifecycleEvent event) {
    if (state.terminal()) {
      return stay();
    }
    if (event instanceof Rejected rejected) {
      return state == TaskState.STAGING ? end(TaskState.ERROR, rejected.reason(), null) : stay();
    }
    if (event instanceof Starting) {
      return state == TaskState.STAGING ? moveTo(TaskState.STARTING) : stay();
    }
    if (event instanceof Started) {
      return state == TaskState.STARTING ? moveTo(TaskState.RUNNING) : stay();
    }
    if (event instanceof LaunchFailed failed) {
      return end(TaskState.FAILED, failed.reason(), null);
    }
    if (event instanceof Exited exited) {
      return onExit(exited);
    }
    if (event instanceof KillRequested request) {
      return onKill(request);
    }
    if (event instanceof GraceExpired) {
      return killing() ? new Transition(this, List.of(new SendSigkill())) : stay();
    }
    if (event instanceof LimitExceeded limit) {
      return killing() ? stay() : new Transition(withKill(Kill.forLimit(limit.reason())), List.of(new SendSigkill()));
    }
    if (event instanceof HealthChanged health) {
      return onHealth(health.healthy());
    }
    if (event instanceof CheckpointFailed failed) {
      return onCheckpointFailed(failed);
    }
    if (event instanceof LeaseExpired expired) {
      // LOST, as a framework sees any task that went down with its agent; a kill the framework asked for stays KILLED.
      return kill != null && kill.requested()
          ? end(TaskState.KILLED, kill.reason(), null)
          : end(TaskState.LOST, expired.reason(), null);
    }
    if (event instanceof Lost lost) {
      return end(TaskState.LOST, lost.reason(), null);
    }
    throw new IllegalArgumentException("unknown lifecycle event " + event);
  }

  private Transition onExit(Exited exited) {
    Integer code = exited.exitCode();
    if (kill != null) {
      return end(kill.requested() ? TaskState.KILLED : TaskState.FAILED, kill.reason(), code);
    }
    if (exited.limitViolation() != null) {
      return end(TaskState.FAILED, exited.limitViolation(), code);
    }
    if (code == null) {
      return end(TaskState.LOST, "the task's process ended and left no exit code", null);
    }
    if (code == 0) {
      return end(TaskState.FINISHED, "exited with code 0", 0);
    }
    String tail = exited.stderrTail() == null || exited.stderrTail().isBlank()
        ? "" : "; last lines of stderr:\n" + exited.stderrTail();
    return end(TaskState.FAILED, "exited with code " + code + tail, code);
  }

  /**
   * A task the agent cannot checkpoint is one a restarted agent would not find (no checkpoint) or
   * would find without its process (STARTING, no pid) and report LOST while it runs on. So a task
   * whose process is not on record yet does not run: not started, or killed if it just started.
   * A running task already on record keeps running: its checkpoint still names its process, so a
   * restarted agent re-attaches it; only the later details (health, a kill in progress) are lost,
   * and killing healthy tasks because the disk filled up would turn a full disk into an outage.
   */
  private Transition onCheckpointFailed(CheckpointFailed failed) {
    if (state == TaskState.STAGING || state == TaskState.STARTING) {
      return end(TaskState.FAILED, failed.reason() + "; the task was not started", null);
    }
    if (failed.processRecorded() || killing()) {
      return stay();
    }
    return new Transition(withKill(Kill.forFailure(failed.reason()
        + "; the task was killed, as an agent restart would lose it")), List.of(new SendSigkill()));
  }

  private Transition onKill(KillRequested request) {
    if (state == TaskState.STAGING) {
      return end(TaskState.KILLED, Kill.byRequest().reason(), null);
    }
    if (killing()) {
      return stay();
    }
    return new Transition(withKill(Kill.byRequest()),
        List.of(new SendSigterm(), new ScheduleSigkill(request.gracePeriod())));
  }

  private Transition onHealth(boolean nowHealthy) {
    if (state != TaskState.RUNNING || Boolean.valueOf(nowHealthy).equals(healthy)) {
      return stay();
    }
    TaskLifecycle next = new TaskLifecycle(state, kill, nowHealthy);
    return new Transition(next, List.of(new ReportStatus(state, nowHealthy ? "healthy" : "unhealthy", null, nowHealthy)));
  }

  private Transition moveTo(TaskState next) {
    return new Transition(new TaskLifecycle(next, kill, healthy),
        List.of(new ReportStatus(next, null, null, healthy)));
  }

  /** Terminal: release what the task held before telling anyone, so the report and the release agree. */
  private Transition end(TaskState terminal, String message, Integer exitCode) {
    return new Transition(new TaskLifecycle(terminal, kill, null),
        List.of(new Cleanup(), new ReportStatus(terminal, message, exitCode, null)));
  }

  private TaskLifecycle withKill(Kill newKill) {
    return new TaskLifecycle(state, newKill, healthy);
  }

  private Transition stay() {
    return new Transition(this, List.of());
  }
}
