package dev.kos.agent.sim;

import static dev.kos.agent.testing.Placements.launch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.testing.Await;
import dev.kos.agent.testing.BusFixture;
import dev.kos.agent.testing.BusFixture.Keyed;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A simulated fleet on the real broker: every agent registers and heartbeats, placed tasks run to the end. */
@ExtendWith(KafkaBrokerExtension.class)
class BusFleetIT {
  private static final int AGENTS = 100;

  @Test
  void shouldRegisterEveryAgentAndRunPlacedTasksToTheirEnd(@BootstrapServers String bootstrap) throws Exception {
    SimSpec spec = new SimSpec(AGENTS, "sim", new ResourceSet(4, 4096, 1000, List.of(new PortRange(31000, 31010))),
        Map.of("zone", "sim"), TaskDurations.parse("fixed:1s"), 0, Duration.ofSeconds(1), 7);
    try (BusFixture fixture = BusFixture.start(bootstrap, "sim", 4);
        BusFleet fleet = BusFleet.start(spec, fixture.settings(), Clock.systemUTC())) {
      List<String> placed = List.of("sim-0", "sim-42", "sim-99");
      for (String agent : placed) {
        fixture.publish(Topics.PLACEMENTS, agent, launch(agent, "task-on-" + agent, "ignored by the simulation"));
      }
      fixture.publish(Topics.PLACEMENTS, "real-agent", launch("real-agent", "not-for-the-fleet", "true"));

      Await.until(() -> fixture.values(Topics.TASK_STATUS, status -> status.getState() == TaskState.FINISHED).size()
          == placed.size(), BusFixture.DEADLINE, "not every placed task finished");
      Await.until(() -> registeredAgents(fixture) == AGENTS, BusFixture.DEADLINE, "not every agent registered");
      Await.until(() -> fixture.values(Topics.AGENTS, report -> report.getAgentId().equals("sim-17")).size() >= 3,
          BusFixture.DEADLINE, "sim-17 did not heartbeat");

      for (String agent : placed) {
        assertThat(fixture.values(Topics.TASK_STATUS, status -> status.getTaskId().equals("task-on-" + agent)))
            .extracting(TaskStatus::getState)
            .containsExactly(TaskState.STARTING, TaskState.RUNNING, TaskState.FINISHED);
      }
      assertThat(fixture.records(Topics.TASK_STATUS).stream()
          .filter(status -> status.value().getTaskId().equals("task-on-sim-42")))
          .extracting(Keyed::key).containsOnly("sim-42");
      assertThat(fixture.values(Topics.TASK_STATUS, status -> status.getTaskId().equals("not-for-the-fleet"))).isEmpty();
      assertThat(fleet.runningTasks()).isZero();
    }
  }

  private static long registeredAgents(BusFixture fixture) {
    return fixture.records(Topics.AGENTS).stream().map(Keyed::key).distinct()
        .filter(key -> IntStream.range(0, AGENTS).anyMatch(i -> key.equals("sim-" + i))).count();
  }
}
