package dev.kos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.PlacementEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The allocator on the real broker with a scripted framework that accepts and declines offers. */
@ExtendWith(KafkaBrokerExtension.class)
class AllocatorIT {

  private static final List<String> AGENTS = List.of("a1", "a2", "a3");
  private static final double AGENT_CPUS = 4;
  private static final int TASKS = 10;

  @TempDir
  Path stateDir;

  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 4})
  void shouldLaunchEveryTaskOnceOnOfferedResourcesWithoutOverAllocatingAnAgent(int partitions,
      @BootstrapServers String bootstrap) throws Exception {
    ScriptedFramework framework = new ScriptedFramework("fw", TASKS);
    try (TestBus bus = TestBus.start(bootstrap, partitions);
        AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
            "allocator-" + UUID.randomUUID(), stateDir, Map.of(), Duration.ofSeconds(60));
        FakeAgents agents = new FakeAgents(bus, AGENTS, AGENT_CPUS, 4096);
        BusSchedulerDriver driver = new BusSchedulerDriver(bus.bus(), FrameworkSettings.of("fw", "web"), framework,
            Clock.systemUTC()).start()) {

      List<LaunchTask> launches = bus.readCommitted(Topics.PLACEMENTS, TASKS).stream()
          .map(k -> (LaunchTask) ((PlacementEvent) k.value()).getPayload()).toList();

      assertThat(launches).extracting(l -> l.getTask().getTaskId()).doesNotHaveDuplicates().hasSize(TASKS);
      Map<String, Double> cpusPerAgent = launches.stream().collect(Collectors.groupingBy(LaunchTask::getAgentId,
          Collectors.summingDouble(l -> l.getTask().getResources().getCpus())));
      assertThat(cpusPerAgent.values()).allMatch(cpus -> cpus <= AGENT_CPUS);
      assertThat(launches).allMatch(l -> framework.offers.stream().anyMatch(o -> o.getOfferId().equals(l.getOfferId())
          && o.getAgentId().equals(l.getAgentId())), "every launch is on an offer the framework got for that agent");
      assertThat(framework.declines).as("the framework declined some offers").isPositive();
    }
  }
}
