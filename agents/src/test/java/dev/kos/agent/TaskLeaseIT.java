package dev.kos.agent;

import static dev.kos.model.TaskState.RUNNING;
import static dev.kos.agent.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.exec.TaskLease;
import dev.kos.agent.model.KillRequest;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.model.TaskState;
import dev.kos.agent.testing.AgentHarness;
import dev.kos.agent.testing.Await;
import dev.kos.agent.testing.TaskProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task lease with real processes: a task whose agent stops renewing the lease (the agent is
 * closed, as a kill -9 or SIGSTOP would stop it) kills itself, every process of it, within the
 * lease and two more seconds (the file time's 1 s resolution and the watchdog's 1 s tick); a task
 * whose agent lives runs on. A task's processes are found in /proc by the task id in their
 * environment, so a double-forked one that left the task's tree and group is seen too.
 */
@Timeout(90)
class TaskLeaseIT {
  private static final TaskLease LEASE = new TaskLease(Duration.ofSeconds(2));
  /** The task, a double-forked child of it, the wrapper, and the wrapper's lease watchdog. */
  private static final String DOUBLE_FORK = "(setsid sleep 600 &); sleep 600";

  @TempDir
  Path workDir;
  final String taskId = "leased-" + UUID.randomUUID();
  AgentHarness agent;

  @AfterEach
  void cleanUp() {
    if (agent != null) {
      agent.close();
    }
    TaskProcesses.killAll(taskId);
    AgentHarness.killAllTasks(workDir);
  }

  @Test
  void aTaskWhoseLeaseIsNoLongerRenewedKillsAllItsProcessesWithinTheLeaseAndTwoSeconds() throws Exception {
    agent = new AgentHarness(workDir, LEASE);
    startDoubleForkingTask();

    agent.close();
    long stopped = System.nanoTime();
    Thread.sleep(1_000);
    assertThat(TaskProcesses.of(taskId)).as("the task's processes 1 s after the agent stopped renewing a 2 s lease")
        .isNotEmpty();
    Await.until(() -> TaskProcesses.of(taskId).isEmpty(), LEASE.duration().plusSeconds(4),
        "the task was not killed when its lease lapsed: " + TaskProcesses.of(taskId));
    Duration tookToDie = Duration.ofNanos(System.nanoTime() - stopped);

    assertThat(tookToDie).as("from the last chance of a renewal to the task's last process gone")
        .isLessThanOrEqualTo(LEASE.duration().plusSeconds(2));
    assertThat(Files.readString(agent.sandbox(taskId).resolve("stderr")))
        .contains("kos: agent a1 stopped renewing its lease for ")
        .contains("; killing the task so that it never runs twice");
    System.out.println("TaskLeaseIT: a 2 s lease lapsed; all processes of the task gone " + tookToDie.toMillis()
        + " ms after the agent stopped");
  }

  @Test
  void anAgentThatComesBackReportsTheTaskItsLeaseKilledAsLostAndSaysWhy() throws Exception {
    agent = new AgentHarness(workDir, LEASE);
    startDoubleForkingTask();
    agent.close();
    Await.until(() -> TaskProcesses.of(taskId).isEmpty(), LEASE.duration().plusSeconds(4),
        "the task was not killed when its lease lapsed: " + TaskProcesses.of(taskId));

    agent = new AgentHarness(workDir, LEASE);
    List<StatusUpdate> recovered = agent.executor.recover();

    assertThat(recovered).singleElement().satisfies(status -> {
      assertThat(status.state()).isEqualTo(TaskState.LOST);
      assertThat(status.message()).startsWith("agent a1 stopped renewing its lease for ")
          .endsWith("s; the task was killed so that it never runs twice");
    });
  }

  @Test
  void aTaskWhoseLeaseIsRenewedKeepsRunning() throws Exception {
    agent = new AgentHarness(workDir, LEASE);
    startDoubleForkingTask();

    Thread.sleep(LEASE.duration().plusSeconds(4).toMillis());

    assertThat(sleepers()).as("the task's sleeps while its agent renews the lease").hasSize(2);
    assertThat(agent.statuses.statesOf(taskId)).last().isEqualTo(RUNNING);
    assertThat(agent.sandbox(taskId).resolve(".kos/lease_expired")).doesNotExist();
  }

  @Test
  void aRestartedAgentTakesTheLeaseOverBeforeItLapsesAndItsTasksRunOn() throws Exception {
    agent = new AgentHarness(workDir, LEASE);
    startDoubleForkingTask();
    agent.close();

    agent = new AgentHarness(workDir, LEASE);
    assertThat(agent.executor.recover()).extracting(StatusUpdate::state).containsExactly(RUNNING);
    Thread.sleep(LEASE.duration().plusSeconds(4).toMillis());

    assertThat(sleepers()).as("the task's sleeps once a new agent renews the lease").hasSize(2);
  }

  @Test
  void aLeasedTaskThatEndsOnItsOwnLeavesNoWatchdogBehind() {
    agent = new AgentHarness(workDir, LEASE);
    agent.executor.launch(task(taskId).shell("sleep 3; exit 0").build());

    agent.statuses.await(taskId, TaskState.FINISHED);

    assertThat(TaskProcesses.of(taskId)).as("processes of the task (its watchdog, the watchdog's sleep) once it "
        + "finished").isEmpty();
  }

  @Test
  void aLeasedTaskKilledAtTheFrameworksRequestLeavesNoWatchdogBehind() {
    agent = new AgentHarness(workDir, LEASE);
    startDoubleForkingTask();

    agent.executor.kill(new KillRequest(taskId, "fw-1", Duration.ofSeconds(1)));
    agent.statuses.await(taskId, TaskState.KILLED);

    assertThat(TaskProcesses.of(taskId)).as("processes of the task (its watchdog ignores the kill's SIGTERM) once "
        + "it was killed").isEmpty();
  }

  /** The task's own processes (its sleep and the escaped one), not the watchdog's 1 s naps. */
  private List<String> sleepers() {
    return TaskProcesses.of(taskId).stream().filter(process -> process.split(" ", 2)[1].equals("sleep 600")).toList();
  }

  private void startDoubleForkingTask() {
    agent.executor.launch(task(taskId).shell(DOUBLE_FORK).build());
    agent.statuses.await(taskId, RUNNING);
    // wrapper, sh -c, sleep, the escaped sleep (and, with a lease, the watchdog and its nap)
    Await.until(() -> Optional.of(TaskProcesses.of(taskId))
            .filter(found -> found.size() >= 4 && sleepers().size() == 2),
        Duration.ofSeconds(10), () -> "the task never had its processes: " + TaskProcesses.of(taskId));
  }
}
