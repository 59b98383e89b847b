package dev.kos.agent;

import static dev.kos.model.TaskState.RUNNING;
import static dev.kos.agent.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kos.agent.model.KillRequest;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.model.TaskState;
import dev.kos.agent.testing.AgentHarness;
import dev.kos.agent.testing.Await;
import dev.kos.agent.testing.TaskProcesses;
import dev.kos.agent.limits.KillMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks whose processes leave the task's process group or tree (setsid, a double fork): when the
 * task is killed or ends, none of its processes may live on. Its processes are found in /proc by
 * the task id in their environment, whoever their parent is now.
 */
@Timeout(120)
class ProcessEscapeIT {
  @TempDir
  Path workDir;
  AgentHarness agent;
  final String taskId = "escape-" + UUID.randomUUID();
  final String orphan = taskId + "-orphan";

  @BeforeEach
  void startAgent() {
    agent = new AgentHarness(workDir);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
    TaskProcesses.killAll(taskId);
    TaskProcesses.killAll(orphan);
    AgentHarness.killAllTasks(workDir);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @CsvSource(delimiter = '|', value = {
      "setsid sleep 600 & sleep 600            | KILLED   | 4",
      "(setsid sleep 600 &); sleep 600         | KILLED   | 4",
      "(setsid sleep 600 &); sleep 2; exit 0   | FINISHED | 4"})
  void shouldLeaveNoProcessOfTheTaskBehind(String command, TaskState end, int processes) throws Exception {
    assertThat(agent.executor.killMethod()).as("this host (CI, as root) has the cgroup v1 freezer or cgroup v2; "
        + "without them (not root, no cgroupfs) an escaped process cannot be killed and this test must fail")
        .isNotEqualTo(KillMethod.PROCESS_GROUP);
    agent.executor.launch(task(taskId).shell(command).build());
    agent.statuses.await(taskId, RUNNING);
    Await.until(() -> Optional.of(TaskProcesses.of(taskId)).filter(found -> found.size() == processes),
        Duration.ofSeconds(10), () -> "the task never had its " + processes + " processes: " + TaskProcesses.of(taskId));

    if (end == TaskState.KILLED) {
      agent.executor.kill(new KillRequest(taskId, "fw-1", Duration.ofSeconds(1)));
    }
    agent.statuses.await(taskId, end);

    assertThat(TaskProcesses.of(taskId)).as("processes of task %s left after it was %s", taskId, end).isEmpty();
    assertThat(taskCgroupDirs(taskId)).as("the task's cgroup, once it ended").isEmpty();
  }

  @Test
  void shouldKillAStaleCgroupAtStartButNotARecoveredLiveTask() throws Exception {
    agent.executor.launch(task(taskId).shell("(setsid sleep 600 &); sleep 600").build());
    agent.executor.launch(task(orphan).shell("(setsid sleep 600 &); sleep 600").build());
    agent.statuses.await(taskId, RUNNING);
    agent.statuses.await(orphan, RUNNING);
    // the wrapper, sh -c, sleep 600 and the escaped sleep 600, for each task
    for (String each : List.of(taskId, orphan)) {
      Await.until(() -> Optional.of(TaskProcesses.of(each)).filter(found -> found.size() == 4),
          Duration.ofSeconds(10), () -> "task " + each + " never had its 4 processes: " + TaskProcesses.of(each));
    }
    agent.close();
    // Its checkpoint lost (say, deleted by hand): the next agent knows nothing of it but its cgroup.
    Files.delete(workDir.resolve("checkpoints").resolve(orphan + ".json"));
    List<String> live = TaskProcesses.of(taskId);

    agent = new AgentHarness(workDir);
    assertThat(agent.executor.recover()).extracting(StatusUpdate::taskId, StatusUpdate::state)
        .containsExactly(tuple(taskId, RUNNING));

    assertThat(TaskProcesses.of(orphan)).as("processes of the task without a checkpoint").isEmpty();
    assertThat(taskCgroupDirs(orphan)).isEmpty();
    assertThat(TaskProcesses.of(taskId)).as("processes of the recovered task").isEqualTo(live).hasSize(4);
    assertThat(taskCgroupDirs(taskId)).hasSize(1);

    agent.executor.kill(new KillRequest(taskId, "fw-1", Duration.ofSeconds(1)));
    agent.statuses.await(taskId, TaskState.KILLED);
    assertThat(TaskProcesses.of(taskId)).as("processes of the recovered task after its kill").isEmpty();
  }

  /** Directories named after the task in the agents' cgroup hierarchies. */
  static List<Path> taskCgroupDirs(String taskId) throws IOException {
    List<Path> found = new ArrayList<>();
    for (Path root : List.of(Path.of("/sys/fs/cgroup"))) {
      try (Stream<Path> dirs = Files.find(root, 12, (path, attributes) -> attributes.isDirectory()
          && path.getFileName().toString().endsWith(taskId))) {
        dirs.forEach(found::add);
      }
    }
    return found;
  }
}
