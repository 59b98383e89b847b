package dev.kos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.framework.Scheduler;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.Offer;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
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
    OneTask framework = new OneTask();
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
            "allocator-" + UUID.randomUUID(), dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60));
        BusAgent agent = BusAgent.start(new AgentSettings("a1", "a1",
            ResourceFlag.parseExact("cpus:2;mem:1024;disk:1000;ports:[31000-31010]"), Map.of(), Map.of(),
            dir.resolve("agent"), bus.bus().settings(), Duration.ofSeconds(2), Duration.ofSeconds(10), 1000),
            Clock.systemUTC());
        BusSchedulerDriver driver = new BusSchedulerDriver(bus.bus(), FrameworkSettings.of("hello", "web"), framework,
            Clock.systemUTC()).start()) {

      TestBus.await("the task to finish", () -> framework.states().contains(TaskState.FINISHED));

      assertThat(framework.states()).containsSubsequence(TaskState.STARTING, TaskState.RUNNING, TaskState.FINISHED);
      assertThat(framework.offer.get()).isTrue();
      assertThat(bus.readCommitted(Topics.LOGS, 1)).extracting(k -> k.value().getLine()).contains("hello from kos");
    }
  }

  /** Launches one task on the first offer, declines the rest. */
  private static final class OneTask implements Scheduler {
    final AtomicBoolean offer = new AtomicBoolean();
    final List<TaskStatus> statuses = new CopyOnWriteArrayList<>();

    List<TaskState> states() {
      return statuses.stream().map(TaskStatus::getState).toList();
    }

    @Override
    public void registered(SchedulerDriver driver) {
    }

    @Override
    public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
      for (Offer o : offers) {
        if (offer.compareAndSet(false, true)) {
          driver.launch(o, List.of(TaskInfo.newBuilder().setTaskId("hello-1").setName("hello").setFrameworkId("hello")
              .setCommand(CommandInfo.newBuilder().setShell("echo hello from kos").build())
              .setResources(Resources.newBuilder().setCpus(0.5).setMem(64).build()).build()));
        } else {
          driver.decline(o.getOfferId(), Duration.ofSeconds(60));
        }
      }
    }

    @Override
    public void offerRescinded(SchedulerDriver driver, String offerId, String reason) {
    }

    @Override
    public void statusUpdate(SchedulerDriver driver, TaskStatus status) {
      statuses.add(status);
    }
  }
}
