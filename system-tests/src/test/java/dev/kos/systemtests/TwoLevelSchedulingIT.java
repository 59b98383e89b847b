package dev.kos.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.schema.StatusEvent;
import dev.kos.model.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both levels of scheduling on the real bus: a real agent reports capacity, the allocator
 * offers it, a framework accepts with a task, the agent runs it as an OS process, and the
 * framework sees it finish; its output reaches kos.logs.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TwoLevelSchedulingIT {

  @TempDir
  Path dir;

  @Test
  void shouldRunAFrameworksTaskOnARealAgentThroughTheAllocator(@BootstrapServers String bootstrap) throws Exception {
    OneTask framework = new OneTask("hello", "echo hello from kos");
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
            "allocator-" + UUID.randomUUID(), dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60));
        BusAgent agent = agent(bus);
        BusSchedulerDriver driver = new BusSchedulerDriver(bus.bus(), FrameworkSettings.of("hello", "web"), framework,
            Clock.systemUTC()).start()) {

      TestBus.await("the task to finish", () -> framework.states().contains(TaskState.FINISHED));

      assertThat(framework.states()).containsSubsequence(TaskState.STARTING, TaskState.RUNNING, TaskState.FINISHED);
      assertThat(framework.launched.get()).isTrue();
      assertThat(bus.readCommitted(Topics.LOGS, 1)).extracting(k -> k.value().getLine()).contains("hello from kos");
    }
  }

  /**
   * The failover timeout, as Mesos has it: a framework that comes back within it reconciles and finds its
   * task running; once it stays away for longer, the allocator kills the task through its agent.
   */
  @Test
  void shouldKeepAFrameworksTaskWhileItComesBackInTimeAndKillItWhenItStaysAway(@BootstrapServers String bootstrap)
      throws Exception {
    FrameworkSettings settings = FrameworkSettings.of("keeper", "web").withFailoverTimeout(Duration.ofSeconds(6));
    OneTask first = new OneTask("keeper", "sleep 600");
    OneTask returning = new OneTask("keeper", "sleep 600");
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
            "allocator-" + UUID.randomUUID(), dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60));
        BusAgent agent = agent(bus)) {
      try (BusSchedulerDriver driver = new BusSchedulerDriver(bus.bus(), settings, first, Clock.systemUTC()).start()) {
        TestBus.await("keeper-1 running", () -> first.states().contains(TaskState.RUNNING));
      }
      Thread.sleep(3_000);

      returning.launched.set(true);
      try (BusSchedulerDriver driver = new BusSchedulerDriver(bus.bus(), settings, returning, Clock.systemUTC())
          .start()) {
        driver.reconcile(List.of("keeper-1"));
        assertThat(returning.states()).as("back within 6 s: the task is still running").containsExactly(TaskState.RUNNING);
        Thread.sleep(8_000);
        assertThat(returning.states()).as("heartbeats keep it").doesNotContain(TaskState.KILLED);
      }

      TestBus.await("keeper-1 killed once keeper stayed away for 6 s", () -> bus.readCommitted(Topics.TASK_STATUS, 0)
          .stream().map(k -> (TaskStatus) k.value())
          .anyMatch(status -> status.getTaskId().equals("keeper-1") && status.getState() == dev.kos.schema.TaskState.KILLED));
      assertThat(bus.readCommitted(Topics.STATUS, 1)).extracting(k -> ((StatusEvent) k.value()).getKind())
          .contains("framework-failed-over");
    }
  }

  private BusAgent agent(TestBus bus) {
    return BusAgent.start(new AgentSettings("a1", "a1",
        ResourceFlag.parseExact("cpus:2;mem:1024;disk:1000;ports:" + ForkPorts.range(0, 11)), Map.of(), Map.of(),
        dir.resolve("agent"), bus.bus().settings(), Duration.ofSeconds(2), Duration.ofSeconds(10), 1000),
        Clock.systemUTC());
  }
}
