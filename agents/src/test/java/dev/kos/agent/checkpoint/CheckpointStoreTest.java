package dev.kos.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.agent.lifecycle.TaskLifecycle;
import dev.kos.agent.model.HealthCheckSpec;
import dev.kos.agent.model.HealthProtocol;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.agent.model.TaskSpec;
import dev.kos.model.ContainerSpec;
import dev.kos.model.TaskState;
import dev.kos.agent.testing.TaskBuilder;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir
  Path dir;

  @Test
  void shouldReadBackWhatItSaved() throws Exception {
    TaskSpec task = TaskBuilder.task("t1").shell("sleep 1").port(31000, "http").volume("v1", "db", "data")
        .env("A", "1")
        .healthCheck(new HealthCheckSpec(HealthProtocol.HTTP, null, "/health", 0, Duration.ofSeconds(5),
            Duration.ofSeconds(1), Duration.ofMillis(500), 3))
        .build();
    TaskLifecycle lifecycle = TaskLifecycle.staging();
    StatusUpdate status = new StatusUpdate("t1", "fw-1", "app-1", TaskState.RUNNING, null, null, true,
        task.resources(), "watchdog", Instant.parse("2026-01-01T00:00:00.123Z"));
    TaskCheckpoint checkpoint = new TaskCheckpoint(task, "/work/sandboxes/t1", 4242L,
        Instant.parse("2026-01-01T00:00:00.120Z"), lifecycle, status);

    new CheckpointStore(dir).save(checkpoint);

    assertThat(new CheckpointStore(dir).loadAll()).containsExactly(checkpoint);
  }

  @Test
  void shouldReadBackATasksArtifactsAndACheckpointWrittenBeforeArtifactsExisted() throws Exception {
    TaskSpec task = TaskBuilder.task("t1").shell("./serve")
        .artifact(dev.kos.model.Artifact.of("http://repo/serve").withSha256("f".repeat(64)).asExecutable())
        .artifact(dev.kos.model.Artifact.of("file:/srv/www.tgz").extracted().at("www")).build();
    TaskSpec before = TaskBuilder.task("t2").shell("./serve").build();
    for (TaskSpec each : List.of(task, before)) {
      new CheckpointStore(dir).save(new TaskCheckpoint(each, "/work/sandboxes/" + each.taskId(), null, null,
          TaskLifecycle.staging(), new StatusUpdate(each.taskId(), "fw-1", "app-1", TaskState.STAGING, null, null,
              null, each.resources(), "watchdog", Instant.parse("2026-01-01T00:00:00Z"))));
    }
    try (var files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("t2")).toList()) {
        String json = Files.readString(file);
        Files.writeString(file, json.replaceAll(",\\s*\"artifacts\"\\s*:\\s*\\[\\s*\\]", ""));
        assertThat(Files.readString(file)).as("the old agent's checkpoint").doesNotContain("artifacts");
      }
    }

    assertThat(new CheckpointStore(dir).loadAll()).extracting(checkpoint -> checkpoint.task())
        .containsExactlyInAnyOrder(task, before);
  }

  @Test
  void shouldReadBackAContainerTaskWithWhatItOverridesAndWhatItLeavesToItsImage() throws Exception {
    ContainerSpec container = new ContainerSpec("oci:/images/web:1", Optional.of(List.of("/bin/sh")),
        Optional.empty(), Optional.of("/srv"), Map.of("MODE", "prod"), ContainerSpec.Network.NONE);
    TaskSpec task = TaskBuilder.task("t1").container(container).build();
    TaskCheckpoint checkpoint = new TaskCheckpoint(task, "/work/sandboxes/t1", null, null, TaskLifecycle.staging(),
        new StatusUpdate("t1", "fw-1", "app-1", TaskState.STAGING, null, null, null, task.resources(), "watchdog",
            Instant.parse("2026-01-01T00:00:00Z")));

    new CheckpointStore(dir).save(checkpoint);

    assertThat(new CheckpointStore(dir).loadAll()).containsExactly(checkpoint);
  }

  @Test
  void shouldSayWhichCheckpointCouldNotBeWrittenAndWhyAndKeepTheOldOne() throws Exception {
    TaskCheckpoint first = checkpointOf("t1", TaskState.RUNNING);
    new CheckpointStore(dir).save(first);
    CheckpointStore full = new CheckpointStore(dir, (file, checkpoint) -> {
      throw new FileSystemException(file + ".tmp", null, "No space left on device");
    });

    assertThatThrownBy(() -> full.save(checkpointOf("t1", TaskState.KILLED)))
        .isInstanceOf(CheckpointWriteException.class)
        .hasMessage("cannot write checkpoint " + dir.resolve("t1.json") + ": No space left on device");
    assertThat(full.loadAll()).containsExactly(first);
  }

  @Test
  void shouldForgetACheckpoint() throws Exception {
    CheckpointStore store = new CheckpointStore(dir);
    store.save(checkpointOf("t1", TaskState.RUNNING));
    store.save(checkpointOf("t2", TaskState.RUNNING));

    store.forget("t1");
    store.forget("never-saved");

    assertThat(store.loadAll()).extracting(checkpoint -> checkpoint.task().taskId()).containsExactly("t2");
  }

  private static TaskCheckpoint checkpointOf(String taskId, TaskState state) {
    TaskSpec task = TaskBuilder.task(taskId).build();
    return new TaskCheckpoint(task, "/work/sandboxes/" + taskId, 4242L, Instant.parse("2026-01-01T00:00:00Z"),
        new TaskLifecycle(state, null, null), new StatusUpdate(taskId, "fw-1", "app-1", state, null, null, null,
        task.resources(), "watchdog", Instant.parse("2026-01-01T00:00:01Z")));
  }

  @Test
  void shouldSkipAnUnreadableCheckpoint() throws Exception {
    Files.writeString(dir.resolve("broken.json"), "{ not json");

    assertThat(new CheckpointStore(dir).loadAll()).isEmpty();
  }
}
