package dev.kos.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.testing.BusyboxImage;
import dev.kos.agent.testing.TaskProcesses;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.cli.KosProcess;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.ContainerInfo;
import dev.kos.schema.KillTask;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real `kos agent` process: its tasks live on; the restarted agent re-attaches the
 * one still running, reports the one that ended meanwhile with its exit, and relaunches neither.
 * A container task (real runc) is re-attached the same way, and once killed leaves no container and no
 * process behind (its own, runc's, or a watcher the killed agent had started).
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(240)
class AgentCrashIT {

  @TempDir
  Path dir;

  @Test
  void shouldRecoverItsTasksAfterKillDashNine(@BootstrapServers String bootstrap) throws Exception {
    String image = BusyboxImage.write(dir.resolve("images/busybox"), List.of("sh", "sleep"), List.of());
    String boxed = "boxed-" + UUID.randomUUID();
    try (TestBus bus = TestBus.start(bootstrap, 2)) {
      Process first = startAgent(bus, "agent-1");
      bus.publish(Topics.PLACEMENTS, "a1", launch("long", "sleep 120"));
      bus.publish(Topics.PLACEMENTS, "a1", launch("short", "sleep 4; exit 3"));
      bus.publish(Topics.PLACEMENTS, "a1", launchContainer(boxed, image, "exec sleep 120"));
      TestBus.await("all three tasks RUNNING", () -> states(bus, "long").contains(TaskState.RUNNING)
          && states(bus, "short").contains(TaskState.RUNNING) && states(bus, boxed).contains(TaskState.RUNNING));
      TestBus.await("the container's process up", () -> !TaskProcesses.of(boxed).isEmpty());
      List<String> containerProcess = TaskProcesses.of(boxed);

      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      Thread.sleep(5_000); // the agent stays down while the short task ends on its own
      Process second = startAgent(bus, "agent-2");
      try {
        TestBus.await("the short task's end reported", () -> states(bus, "short").contains(TaskState.FAILED));
        TestBus.await("the long task reported RUNNING again",
            () -> states(bus, "long").stream().filter(s -> s == TaskState.RUNNING).count() == 2);
        TestBus.await("the container task reported RUNNING again",
            () -> states(bus, boxed).stream().filter(s -> s == TaskState.RUNNING).count() == 2);

        assertThat(states(bus, "long")).as("re-attached, not relaunched")
            .containsExactly(TaskState.STARTING, TaskState.RUNNING, TaskState.RUNNING);
        assertThat(states(bus, boxed)).as("the container re-attached, not relaunched")
            .containsExactly(TaskState.STARTING, TaskState.RUNNING, TaskState.RUNNING);
        assertThat(TaskProcesses.of(boxed)).as("the same container process, and only it")
            .isEqualTo(containerProcess);
        assertThat(runc("list", "-q").lines().toList()).as("runc's containers after the restart").hasSize(1);
        TaskStatus ended = statuses(bus, "short").stream().filter(s -> s.getState() == TaskState.FAILED).findFirst()
            .orElseThrow();
        assertThat(ended.getExitCode()).isEqualTo(3);

        bus.publish(Topics.PLACEMENTS, "a1", PlacementEvent.newBuilder().setPayload(KillTask.newBuilder()
            .setAgentId("a1").setFrameworkId("test").setTaskId("long").setGracePeriodMs(1000).build()).build());
        TestBus.await("the re-attached task killed", () -> states(bus, "long").contains(TaskState.KILLED));

        bus.publish(Topics.PLACEMENTS, "a1", PlacementEvent.newBuilder().setPayload(KillTask.newBuilder()
            .setAgentId("a1").setFrameworkId("test").setTaskId(boxed).setGracePeriodMs(1000).build()).build());
        TestBus.await("the re-attached container killed", () -> states(bus, boxed).contains(TaskState.KILLED));
        assertThat(runc("list", "-q")).as("runc's containers once the container task was killed").isBlank();
        TestBus.await("nothing of the container left: " + TaskProcesses.of(boxed) + " " + runcProcesses(),
            () -> TaskProcesses.of(boxed).isEmpty() && runcProcesses().isEmpty());
      } finally {
        second.destroy();
        second.waitFor(30, TimeUnit.SECONDS);
        // What a failed run left must not run on into the rest of the suite.
        for (String id : runc("list", "-q").lines().filter(line -> !line.isBlank()).toList()) {
          runc("delete", "--force", id);
        }
      }
    }
  }

  /** The runc commands still running against this agent's runc state: `runc run`, `runc events`, a wrapper. */
  private List<String> runcProcesses() {
    String root = dir.resolve("work/runc").toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs.filter(proc -> proc.getFileName().toString().matches("\\d+"))
          .map(proc -> {
            try {
              return proc.getFileName() + " "
                  + new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
            } catch (IOException gone) {
              return "";
            }
          })
          .filter(line -> line.contains(root))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String runc(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("runc", "--root", dir.resolve("work/runc").toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(30, TimeUnit.SECONDS);
    return output;
  }

  private static PlacementEvent launchContainer(String taskId, String image, String script) {
    return PlacementEvent.newBuilder().setPayload(LaunchTask.newBuilder().setAgentId("a1").setFrameworkId("test")
        .setOfferId("offer-" + taskId).setTask(TaskInfo.newBuilder().setTaskId(taskId).setName(taskId)
            .setFrameworkId("test").setCommand(CommandInfo.newBuilder().build())
            .setContainer(ContainerInfo.newBuilder().setImage(image).setEntrypoint(List.of("/bin/sh", "-c", script))
                .build())
            .setResources(Resources.newBuilder().setCpus(0.1).setMem(32).build()).build()).build()).build();
  }

  /** The ports the agent offers, the same each time it starts: 11 from this fork's block (ChaosCluster's slices). */
  private final int firstPort = ChaosCluster.nextPortSlice();

  private Process startAgent(TestBus bus, String name) throws Exception {
    List<String> args = new ArrayList<>(List.of("agent", "--id", "a1", "--work-dir", dir.resolve("work").toString(),
        "--resources", "cpus:2;mem:1024;disk:1000;ports:" + "[" + firstPort + "-" + (firstPort + 10) + "]", "--heartbeat", "1s"));
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
