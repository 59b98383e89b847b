package dev.kos.agent;

import static dev.kos.model.TaskState.FINISHED;
import static dev.kos.model.TaskState.KILLED;
import static dev.kos.model.TaskState.RUNNING;
import static dev.kos.agent.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.model.KillRequest;
import dev.kos.agent.model.LogSource;
import dev.kos.agent.model.VolumeResult;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.agent.testing.AgentHarness;
import dev.kos.agent.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistentVolumeIT {
  @TempDir
  Path workDir;
  AgentHarness agent;

  @BeforeEach
  void startAgent() {
    agent = new AgentHarness(workDir);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
    AgentHarness.killAllTasks(workDir);
  }

  @Test
  void shouldHandTheSameDirectoryToARelaunchedTask() {
    assertThat(agent.executor.createVolume(new VolumeSpec("pg", "db", 10, "pgdata")).succeeded()).isTrue();
    agent.executor.launch(task("writer").volume("pg", "db", "pgdata")
        .shell("echo kept > pgdata/file; sleep 300").build());
    agent.statuses.await("writer", RUNNING);
    Path volumeFile = workDir.resolve("volumes/pg/data/file");
    Await.until(() -> Files.exists(volumeFile), Duration.ofSeconds(20), "the task never wrote its file");

    VolumeResult whileInUse = agent.executor.destroyVolume("pg", "db");
    agent.executor.kill(new KillRequest("writer", "fw-1", Duration.ofSeconds(5)));
    agent.statuses.await("writer", KILLED);
    agent.executor.launch(task("reader").volume("pg", "db", "pgdata")
        .shell("cat pgdata/file; cat \"$KOS_VOLUME_PGDATA/file\"").build());
    agent.statuses.await("reader", FINISHED);

    assertThat(whileInUse.succeeded()).isFalse();
    assertThat(whileInUse.message()).isEqualTo(
        "volume pg is in use by task writer; kill the task before destroying the volume");
    assertThat(agent.logs.lines("reader", LogSource.STDOUT)).containsExactly("kept", "kept");
    assertThat(agent.executor.destroyVolume("pg", "db").succeeded()).isTrue();
    assertThat(workDir.resolve("volumes/pg")).doesNotExist();
  }
}
