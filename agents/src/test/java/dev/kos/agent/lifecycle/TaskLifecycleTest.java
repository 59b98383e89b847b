package dev.kos.agent.lifecycle;

import static dev.kos.model.TaskState.ERROR;
import static dev.kos.model.TaskState.FAILED;
import static dev.kos.model.TaskState.FINISHED;
import static dev.kos.model.TaskState.KILLED;
import static dev.kos.model.TaskState.LOST;
import static dev.kos.model.TaskState.RUNNING;
import static dev.kos.model.TaskState.STARTING;
import static org.assertj.core.api.Assertions.assertThat;

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
import dev.kos.agent.lifecycle.TaskLifecycle.Kill;
import dev.kos.model.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskLifecycleTest {
  private static final Duration GRACE = Duration.ofSeconds(3);
  private static final TaskLifecycle STAGED = TaskLifecycle.staging();
  private static final TaskLifecycle STARTED = new TaskLifecycle(STARTING, null, null);
  private static final TaskLifecycle RUNNING_TASK = new TaskLifecycle(RUNNING, null, null);
  private static final TaskLifecycle HEALTHY = new TaskLifecycle(RUNNING, null, true);
  private static final TaskLifecycle KILLING = new TaskLifecycle(RUNNING, new Kill(true, "killed at the framework's request"), null);
  private static final TaskLifecycle OVER_LIMIT = new TaskLifecycle(RUNNING, new Kill(false, "rss over limit"), null);
  private static final TaskLifecycle FINISHED_TASK = new TaskLifecycle(FINISHED, null, null);

  private static ReportStatus report(TaskState state, String message, Integer exitCode) {
    return new ReportStatus(state, message, exitCode, null);
  }

  static Stream<Arguments> transitions() {
    return Stream.of(
        row("a staged task starts", STAGED, new Starting(), STARTING,
            List.of(report(STARTING, null, null))),
        row("a started process runs", STARTED, new Started(), RUNNING,
            List.of(report(RUNNING, null, null))),
        row("an invalid task is rejected with its reason", STAGED, new Rejected("no command"), ERROR,
            List.of(new Cleanup(), report(ERROR, "no command", null))),
        row("a process that cannot start fails", STARTED, new LaunchFailed("no such file"), FAILED,
            List.of(new Cleanup(), report(FAILED, "no such file", null))),
        row("exit 0 finishes", RUNNING_TASK, new Exited(0, "", null), FINISHED,
            List.of(new Cleanup(), report(FINISHED, "exited with code 0", 0))),
        row("a non-zero exit fails with code and stderr tail", RUNNING_TASK, new Exited(3, "boom", null), FAILED,
            List.of(new Cleanup(), report(FAILED, "exited with code 3; last lines of stderr:\nboom", 3))),
        row("a non-zero exit without stderr says just the code", RUNNING_TASK, new Exited(2, "", null), FAILED,
            List.of(new Cleanup(), report(FAILED, "exited with code 2", 2))),
        row("an exit without a recorded code is lost", RUNNING_TASK, new Exited(null, "", null), LOST,
            List.of(new Cleanup(), report(LOST, "the task's process ended and left no exit code", null))),
        row("a kernel limit kill fails with the limit as reason", RUNNING_TASK, new Exited(137, "", "oom"), FAILED,
            List.of(new Cleanup(), report(FAILED, "oom", 137))),
        row("a kill sends SIGTERM and schedules SIGKILL", RUNNING_TASK, new KillRequested(GRACE), RUNNING,
            List.of(new SendSigterm(), new ScheduleSigkill(GRACE))),
        row("a kill of a staged task ends it at once", STAGED, new KillRequested(GRACE), KILLED,
            List.of(new Cleanup(), report(KILLED, "killed at the framework's request", null))),
        row("a second kill does nothing more", KILLING, new KillRequested(GRACE), RUNNING, List.of()),
        row("an expired grace period sends SIGKILL", KILLING, new GraceExpired(), RUNNING,
            List.of(new SendSigkill())),
        row("a grace period expiring without a kill is ignored", RUNNING_TASK, new GraceExpired(), RUNNING, List.of()),
        row("a killed task's exit is KILLED whatever the code", KILLING, new Exited(143, "", null), KILLED,
            List.of(new Cleanup(), report(KILLED, "killed at the framework's request", 143))),
        row("a watchdog violation sends SIGKILL", RUNNING_TASK, new LimitExceeded("rss over limit"), RUNNING,
            List.of(new SendSigkill())),
        row("a task killed for a limit fails with the limit as reason", OVER_LIMIT, new Exited(137, "", null), FAILED,
            List.of(new Cleanup(), report(FAILED, "rss over limit", 137))),
        row("the first health verdict is reported", RUNNING_TASK, new HealthChanged(true), RUNNING,
            List.of(new ReportStatus(RUNNING, "healthy", null, true))),
        row("a flip to unhealthy is reported", HEALTHY, new HealthChanged(false), RUNNING,
            List.of(new ReportStatus(RUNNING, "unhealthy", null, false))),
        row("the same health again is not reported", HEALTHY, new HealthChanged(true), RUNNING, List.of()),
        row("health before RUNNING is ignored", STARTED, new HealthChanged(true), STARTING, List.of()),
        row("a vanished task is lost", RUNNING_TASK, new Lost("gone"), LOST,
            List.of(new Cleanup(), report(LOST, "gone", null))),
        row("a task its lapsed lease killed is lost, saying why", RUNNING_TASK, new LeaseExpired("lease lapsed"), LOST,
            List.of(new Cleanup(), report(LOST, "lease lapsed", null))),
        row("a task its lapsed lease killed while the framework killed it is killed", KILLING,
            new LeaseExpired("lease lapsed"), KILLED,
            List.of(new Cleanup(), report(KILLED, "killed at the framework's request", null))),
        row("a task its lapsed lease killed while over a limit is lost: the limit did not end it", OVER_LIMIT,
            new LeaseExpired("lease lapsed"), LOST, List.of(new Cleanup(), report(LOST, "lease lapsed", null))),
        row("a terminal task ignores a late lease expiry", FINISHED_TASK, new LeaseExpired("lease lapsed"), FINISHED,
            List.of()),
        row("a terminal task ignores a kill", FINISHED_TASK, new KillRequested(GRACE), FINISHED, List.of()),
        row("a terminal task ignores a late exit", FINISHED_TASK, new Exited(1, "", null), FINISHED, List.of()),
        row("a running task cannot be rejected any more", RUNNING_TASK, new Rejected("late"), RUNNING, List.of()),
        row("a task whose first checkpoint fails is not started", STARTED, new CheckpointFailed("disk full", false),
            FAILED, List.of(new Cleanup(), report(FAILED, "disk full; the task was not started", null))),
        row("a just-started task that cannot be checkpointed is killed", RUNNING_TASK,
            new CheckpointFailed("disk full", false), RUNNING, List.of(new SendSigkill())),
        row("a running task on record keeps running when an update cannot be checkpointed", HEALTHY,
            new CheckpointFailed("disk full", true), RUNNING, List.of()),
        row("a task being killed is not killed again for a checkpoint", KILLING,
            new CheckpointFailed("disk full", false), RUNNING, List.of()),
        row("a terminal task ignores a failed checkpoint", FINISHED_TASK, new CheckpointFailed("disk full", true),
            FINISHED, List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transitions")
  void shouldTransition(String name, TaskLifecycle from, LifecycleEvent event, TaskState expectedState,
      List<SideEffect> expectedEffects) {
    Transition transition = from.on(event);

    assertThat(transition.next().state()).isEqualTo(expectedState);
    assertThat(transition.effects()).containsExactlyElementsOf(expectedEffects);
  }

  @Test
  void shouldRememberTheKillSoThatTheExitIsReportedAsKilled() {
    TaskLifecycle killing = RUNNING_TASK.on(new KillRequested(GRACE)).next();

    assertThat(killing.killing()).isTrue();
    assertThat(killing.on(new Exited(0, "", null)).next().state()).isEqualTo(KILLED);
  }

  @Test
  void shouldFailAJustStartedTaskKilledForItsCheckpointWithTheReason() {
    TaskLifecycle killing = RUNNING_TASK.on(new CheckpointFailed("cannot write checkpoint x: No space left", false))
        .next();

    assertThat(killing.on(new Exited(137, "", null)).effects()).containsExactly(new Cleanup(), report(FAILED,
        "cannot write checkpoint x: No space left; the task was killed, as an agent restart would lose it", 137));
  }

  @Test
  void shouldForgetHealthOnceTerminal() {
    assertThat(HEALTHY.on(new Exited(0, "", null)).next().healthy()).isNull();
  }

  private static Arguments row(String name, TaskLifecycle from, LifecycleEvent event, TaskState state,
      List<SideEffect> effects) {
    return Arguments.of(name, from, event, state, effects);
  }
}
