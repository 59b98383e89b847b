package dev.kos.agent;

import static dev.kos.model.TaskState.FAILED;
import static dev.kos.model.TaskState.KILLED;
import static dev.kos.model.TaskState.RUNNING;
import static dev.kos.model.TaskState.STARTING;
import static dev.kos.agent.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.checkpoint.CheckpointStore;
import dev.kos.agent.checkpoint.Json;
import dev.kos.agent.model.HealthCheckSpec;
import dev.kos.agent.model.HealthProtocol;
import dev.kos.agent.model.KillRequest;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.agent.testing.AgentHarness;
import dev.kos.agent.testing.TaskProcesses;
import dev.kos.agent.testing.TinyDisk;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's disk is full: its checkpoints live on a 64 KiB tmpfs that a test fills, so every
 * checkpoint write fails with a real "No space left on device" (needs root, as CI has).
 */
@Timeout(120)
class CheckpointFailureIT {
  @TempDir
  Path workDir;
  TinyDisk disk;
  AgentHarness agent;
  final String taskId = "t-" + UUID.randomUUID();

  @BeforeEach
  void mountTinyDisk() throws Exception {
    disk = TinyDisk.mountOn(workDir.resolve("checkpoints"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (agent != null) {
      agent.close();
    }
    TaskProcesses.killAll(taskId);
    AgentHarness.killAllTasks(workDir);
    if (disk != null) {
      disk.close();
    }
  }

  @Test
  void shouldFailALaunchWhoseCheckpointCannotBeWrittenAndNotStartIt() throws Exception {
    agent = new AgentHarness(workDir);
    disk.fill();

    agent.executor.launch(task(taskId).shell("sleep 60").build());

    StatusUpdate failed = agent.statuses.await(taskId, FAILED);
    assertThat(failed.message()).startsWith("cannot write checkpoint " + workDir.resolve("checkpoints")
        .resolve(taskId + ".json")).contains("No space left on device");
    assertThat(agent.statuses.statesOf(taskId)).doesNotContain(RUNNING);
    assertThat(TaskProcesses.of(taskId)).as("processes of the task").isEmpty();
    assertThat(agent.executor.usedResources().cpus()).isZero();
  }

  @Test
  void shouldKillATaskThatStartedButWhoseProcessCannotBeCheckpointed() throws Exception {
    Path checkpoints = workDir.resolve("checkpoints");
    agent = new AgentHarness(workDir, List.of(), new CheckpointStore(checkpoints, (file, checkpoint) -> {
      if (checkpoint.pid() != null) {
        throw new FileSystemException(file + ".tmp", null, "No space left on device");
      }
      Json.write(file, checkpoint);
    }));

    agent.executor.launch(task(taskId).shell("setsid sleep 60 & sleep 60").build());

    StatusUpdate failed = agent.statuses.await(taskId, FAILED);
    assertThat(failed.message()).isEqualTo("cannot write checkpoint " + checkpoints.resolve(taskId + ".json")
        + ": No space left on device; the task was killed, as an agent restart would lose it");
    assertThat(agent.statuses.statesOf(taskId)).containsExactly(STARTING, FAILED);
    assertThat(TaskProcesses.of(taskId)).as("processes of the task").isEmpty();
  }

  @Test
  void shouldKeepARunningTaskWhoseUpdateCannotBeCheckpointedAndRecoverItAfterARestart() throws Exception {
    agent = new AgentHarness(workDir);
    agent.executor.launch(task(taskId).shell("sleep 60").healthCheck(new HealthCheckSpec(HealthProtocol.COMMAND,
        "test ! -f sick", null, 0, Duration.ZERO, Duration.ofMillis(200), Duration.ofSeconds(1), 1)).build());
    agent.statuses.await(taskId, status -> Boolean.TRUE.equals(status.healthy()), "healthy");
    disk.fill();

    Files.createFile(agent.sandbox(taskId).resolve("sick"));

    agent.statuses.await(taskId, status -> Boolean.FALSE.equals(status.healthy()), "unhealthy");
    assertThat(agent.statuses.statesOf(taskId)).containsOnly(STARTING, RUNNING);
    assertThat(TaskProcesses.of(taskId)).isNotEmpty();
    agent.close();
    agent = new AgentHarness(workDir);
    assertThat(agent.executor.recover()).extracting(StatusUpdate::taskId, StatusUpdate::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(taskId, RUNNING));
  }

  @Test
  void shouldNotReportATaskThatEndedAgainAfterARestartWhenItsLastCheckpointFailed() throws Exception {
    agent = new AgentHarness(workDir);
    agent.executor.launch(task(taskId).shell("sleep 60").build());
    agent.statuses.await(taskId, RUNNING);
    disk.fill();

    agent.executor.kill(new KillRequest(taskId, "fw-1", Duration.ofSeconds(5)));
    agent.statuses.await(taskId, KILLED);
    agent.close();
    agent = new AgentHarness(workDir);

    List<StatusUpdate> recovered = agent.executor.recover();
    assertThat(recovered).as("a restarted agent must not turn a stale checkpoint into a second verdict")
        .extracting(StatusUpdate::taskId).doesNotContain(taskId);
    assertThat(agent.statuses.of(taskId)).isEmpty();
  }
}
