package dev.kos.agent;

import static dev.kos.model.TaskState.FAILED;
import static dev.kos.model.TaskState.KILLED;
import static dev.kos.model.TaskState.LOST;
import static dev.kos.model.TaskState.RUNNING;
import static dev.kos.agent.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kos.agent.checkpoint.Json;
import dev.kos.agent.checkpoint.TaskCheckpoint;
import dev.kos.agent.lifecycle.TaskLifecycle;
import dev.kos.agent.model.KillRequest;
import dev.kos.agent.model.LogSource;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.agent.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.agent.testing.AgentHarness;
import dev.kos.agent.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent A is dropped without touching its tasks (what kill -9 of the agent JVM leaves behind);
 * agent B on the same work dir recovers them.
 */
class RecoveryIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir
  Path workDir;

  @AfterEach
  void killTasks() {
    AgentHarness.killAllTasks(workDir);
  }

  @Test
  void shouldReattachALiveTaskAndReportOneThatEndedMeanwhile() throws Exception {
    AgentHarness agentA = new AgentHarness(workDir);
    agentA.executor.launch(task("long").shell(
        "echo started; while [ ! -f more ]; do sleep 0.05; done; echo after restart; sleep 300").build());
    agentA.executor.launch(task("short").shell(
        "while [ ! -f go ]; do sleep 0.05; done; echo dying words >&2; exit 3").build());
    agentA.statuses.await("long", RUNNING);
    agentA.statuses.await("short", RUNNING);
    Await.until(() -> agentA.logs.lines("long", LogSource.STDOUT).contains("started"), DEADLINE,
        "agent A never shipped the first line");
    agentA.close();

    Files.createFile(agentA.sandbox("short").resolve("go"));
    Await.until(() -> Files.exists(agentA.sandbox("short").resolve(".kos/exit_code")), DEADLINE,
        "the short task never ended");
    try (AgentHarness agentB = new AgentHarness(workDir)) {
      List<StatusUpdate> recovered = agentB.executor.recover();

      assertThat(recovered).extracting(StatusUpdate::taskId, StatusUpdate::state)
          .containsExactlyInAnyOrder(tuple("long", RUNNING), tuple("short", FAILED));
      StatusUpdate shortEnd = agentB.statuses.await("short", FAILED);
      assertThat(shortEnd.exitCode()).isEqualTo(3);
      assertThat(shortEnd.message()).contains("dying words");
      assertThat(agentB.executor.usedResources().cpus()).isEqualTo(0.1);

      Files.createFile(agentB.sandbox("long").resolve("more"));
      Await.until(() -> agentB.logs.lines("long", LogSource.STDOUT).contains("after restart"), DEADLINE,
          "agent B does not ship the re-attached task's output");
      assertThat(agentB.logs.lines("long", LogSource.STDOUT)).containsExactly("after restart");

      agentB.executor.kill(new KillRequest("long", "fw-1", Duration.ofSeconds(5)));
      agentB.statuses.await("long", KILLED);
      assertThat(agentB.executor.reconcile(List.of("long", "short"), "fw-1"))
          .extracting(StatusUpdate::state).containsExactly(KILLED, FAILED);
    }
  }

  @Test
  void shouldNotAdoptAProcessThatReusedTheTasksPid() throws Exception {
    // A checkpoint pointing at a live process (this JVM) whose start time does not match.
    TaskSpec task = task("reused").shell("sleep 300").build();
    Path sandbox = Files.createDirectories(workDir.resolve("sandboxes/reused/.kos"));
    Files.createDirectories(workDir.resolve("checkpoints"));
    StatusUpdate running = new StatusUpdate("reused", "fw-1", "app-1", TaskState.RUNNING, null, null, null,
        task.resources(), "watchdog", Instant.now());
    Json.write(workDir.resolve("checkpoints/reused.json"), new TaskCheckpoint(task, sandbox.getParent().toString(),
        ProcessHandle.current().pid(), Instant.EPOCH, new TaskLifecycle(TaskState.RUNNING, null, null), running));

    try (AgentHarness agent = new AgentHarness(workDir)) {
      agent.executor.recover();

      StatusUpdate lost = agent.statuses.await("reused", LOST);
      assertThat(lost.message()).contains("left no exit code");
      assertThat(ProcessHandle.current().isAlive()).isTrue();
    }
  }
}
