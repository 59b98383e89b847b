package dev.kos.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.cli.KosProcess;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.KillTask;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real `kos agent` process: its tasks live on; the restarted agent re-attaches the
 * one still running, reports the one that ended meanwhile with its exit, and relaunches neither.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AgentCrashIT {

  @TempDir
  Path dir;

  @Test
  void shouldRecoverItsTasksAfterKillDashNine(@BootstrapServers String bootstrap) throws Exception {
    try (TestBus bus = TestBus.start(bootstrap, 2)) {
      Process first = startAgent(bus, "agent-1");
      bus.publish(Topics.PLACEMENTS, "a1", launch("long", "sleep 120"));
      bus.publish(Topics.PLACEMENTS, "a1", launch("short", "sleep 4; exit 3"));
      TestBus.await("both tasks RUNNING", () -> states(bus, "long").contains(TaskState.RUNNING)
          && states(bus, "short").contains(TaskState.RUNNING));

      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      Thread.sleep(5_000); // the agent stays down while the short task ends on its own
      Process second = startAgent(bus, "agent-2");
      try {
        TestBus.await("the short task's end reported", () -> states(bus, "short").contains(TaskState.FAILED));
        TestBus.await("the long task reported RUNNING again",
            () -> states(bus, "long").stream().filter(s -> s == TaskState.RUNNING).count() == 2);

        assertThat(states(bus, "long")).as("re-attached, not relaunched")
            .containsExactly(TaskState.STARTING, TaskState.RUNNING, TaskState.RUNNING);
        TaskStatus ended = statuses(bus, "short").stream().filter(s -> s.getState() == TaskState.FAILED).findFirst()
            .orElseThrow();
        assertThat(ended.getExitCode()).isEqualTo(3);

        bus.publish(Topics.PLACEMENTS, "a1", PlacementEvent.newBuilder().setPayload(KillTask.newBuilder()
            .setAgentId("a1").setFrameworkId("test").setTaskId("long").setGracePeriodMs(1000).build()).build());
        TestBus.await("the re-attached task killed", () -> states(bus, "long").contains(TaskState.KILLED));
      } finally {
        second.destroy();
        second.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private Process startAgent(TestBus bus, String name) throws Exception {
    List<String> args = new ArrayList<>(List.of("agent", "--id", "a1", "--work-dir", dir.resolve("work").toString(),
        "--resources", "cpus:2;mem:1024;disk:1000;ports:" + ForkPorts.range(0, 11), "--heartbeat", "1s"));
    args.addAll(KosProcess.busOptions(bus));
    return KosProcess.start(dir, name, "is up on", args);
  }

  private static List<TaskStatus> statuses(TestBus bus, String taskId) {
    return bus.readCommitted(Topics.TASK_STATUS, 0).stream().map(TestBus.Keyed::value)
        .filter(s -> s.getTaskId().equals(taskId)).toList();
  }

  private static List<TaskState> states(TestBus bus, String taskId) {
    return statuses(bus, taskId).stream().map(TaskStatus::getState).toList();
  }

  private static PlacementEvent launch(String taskId, String shell) {
    return PlacementEvent.newBuilder().setPayload(LaunchTask.newBuilder().setAgentId("a1").setFrameworkId("test")
        .setOfferId("offer-" + taskId).setTask(TaskInfo.newBuilder().setTaskId(taskId).setName(taskId)
            .setFrameworkId("test").setCommand(CommandInfo.newBuilder().setShell(shell).build())
            .setResources(Resources.newBuilder().setCpus(0.5).setMem(64).build()).build()).build()).build();
  }
}
