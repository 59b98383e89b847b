package dev.kos.agent.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.testing.Await;
import dev.kos.agent.testing.TaskProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cgroup shells on the real cgroup filesystem (root, as CI): a process that joined a task's
 * cgroup and then escaped with setsid and a double fork is killed with its cgroup. This host mounts
 * the v1 freezer and a v2 hierarchy without controllers; both hold and kill processes alike.
 */
@Timeout(60)
class TaskCgroupsIT {
  private static final ResourceSet NO_LIMITS = new ResourceSet(0, 0, 0, List.of());

  private final String taskId = "cg-" + UUID.randomUUID();
  private Path base;
  private Process task;

  @AfterEach
  void cleanUp() throws Exception {
    if (task != null) {
      task.destroyForcibly();
    }
    TaskProcesses.killAll(taskId);
    if (base != null) {
      try (var dirs = Files.walk(base)) {
        dirs.sorted(java.util.Comparator.reverseOrder()).forEach(dir -> dir.toFile().delete());
      }
    }
  }

  @Test
  void shouldKillEveryProcessOfAV1FreezerCgroupAndRemoveIt() throws Exception {
    base = requireWritable(Path.of("/sys/fs/cgroup/freezer"), "kos-test-" + UUID.randomUUID());
    FreezerCgroups cgroups = new FreezerCgroups(base.resolve("scope"));

    shouldKillAndRemove(cgroups);
  }

  @Test
  void shouldKillEveryProcessOfAV2CgroupAndRemoveIt() throws Exception {
    base = requireWritable(Path.of("/sys/fs/cgroup/unified"), "kos-test-" + UUID.randomUUID());
    CgroupV2 cgroups = new CgroupV2(base, "scope");

    shouldKillAndRemove(cgroups);
  }

  private void shouldKillAndRemove(TaskCgroups cgroups) throws Exception {
    Path procs = cgroups.create(taskId, NO_LIMITS);
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c",
        "echo $$ > " + procs + " && (setsid sleep 600 &) && sleep 600");
    builder.environment().put("KOS_TASK_ID", taskId);
    task = builder.start();
    Await.until(() -> Optional.of(TaskProcesses.of(taskId)).filter(found -> found.size() == 3),
        Duration.ofSeconds(10), () -> "the task never had its 3 processes: " + TaskProcesses.of(taskId));
    assertThat(cgroups.pids(taskId)).hasSize(3);
    assertThat(cgroups.taskIds()).containsExactly(taskId);

    assertThat(cgroups.killAll(taskId)).isTrue();

    assertThat(task.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(TaskProcesses.of(taskId)).as("processes of the task after its cgroup was killed").isEmpty();
    assertThat(cgroups.pids(taskId)).isEmpty();
    cgroups.remove(taskId);
    assertThat(cgroups.taskIds()).isEmpty();
    assertThat(cgroups.killAll(taskId)).as("a cgroup that is gone is empty").isTrue();
  }

  private static Path requireWritable(Path hierarchy, String name) throws Exception {
    if (!Files.exists(hierarchy.resolve("cgroup.procs"))) {
      fail("this test needs the cgroup hierarchy at " + hierarchy + " (a hybrid host as CI's); it is not mounted");
    }
    try {
      return Files.createDirectory(hierarchy.resolve(name));
    } catch (java.io.IOException e) {
      fail("this test makes cgroups under " + hierarchy + " and needs root; " + e);
      throw e;
    }
  }
}
