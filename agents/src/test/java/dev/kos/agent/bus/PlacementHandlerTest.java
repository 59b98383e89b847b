package dev.kos.agent.bus;

import static dev.kos.agent.testing.Placements.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.agent.model.KillRequest;
import dev.kos.agent.model.TaskRef;
import dev.kos.agent.model.TaskSpec;
import dev.kos.agent.model.VolumeResult;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.agent.testing.Placements;
import dev.kos.bus.consume.BusRecord;
import dev.kos.bus.consume.RejectedRecordException;
import dev.kos.schema.HealthCheck;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Launches the agent cannot run: each is refused with a reason (a terminal status) and still rejected. */
class PlacementHandlerTest {
  private static final String AGENT = "a1";

  private final RecordingTarget target = new RecordingTarget();
  private final PlacementHandler handler = new PlacementHandler(id -> id.equals(AGENT) ? target : null,
      (agentId, operation, result) -> { });

  static Stream<Arguments> unrunnable() {
    return Stream.of(
        Arguments.of(task("../x", "true").build(), "invalid task id '../x'"),
        Arguments.of(task("", "true").build(), "invalid task id ''"),
        Arguments.of(Placements.withVolume(task("v", "true"), "../etc").build(), "invalid persistence id '../etc'"),
        Arguments.of(task("h", "true").setHealthCheck(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.TCP)
            .setIntervalSeconds(0).build()).build(), "health check interval and timeout must be positive"),
        Arguments.of(task("r", "true").setResources(Resources.newBuilder().setCpus(Double.POSITIVE_INFINITY)
            .setMem(32).build()).build(), "cpus must be a finite number >= 0, got Infinity"),
        Arguments.of(task("p", "true").setResources(Resources.newBuilder().setCpus(1).setMem(32)
            .setPorts(List.of(new dev.kos.schema.PortRange(9, 3))).build()).build(), "invalid port range [9-3]"));
  }

  @ParameterizedTest
  @MethodSource("unrunnable")
  void shouldRefuseWithAReasonAndStillRejectALaunchItCannotRun(TaskInfo task, String reason) {
    assertThatThrownBy(() -> handler.handle(record(Placements.launch(AGENT, task))))
        .isInstanceOf(RejectedRecordException.class)
        .hasMessageStartingWith("LaunchTask for agent a1 cannot be carried out: ")
        .hasMessageContaining(reason);

    assertThat(target.refused).singleElement().satisfies(refusal -> {
      assertThat(refusal.task()).isEqualTo(new TaskRef(task.getTaskId(), "fw-1", "/app"));
      assertThat(refusal.reason()).startsWith("the agent cannot run this task: ").contains(reason);
    });
    assertThat(target.launched).isEmpty();
  }

  @Test
  void shouldOnlyRejectALaunchWithoutATaskAsNoStatusCouldNameIt() {
    PlacementEvent noTask = new PlacementEvent(new LaunchTask(AGENT, "fw-1", "offer-1", null));

    assertThatThrownBy(() -> handler.handle(record(noTask)))
        .isInstanceOf(RejectedRecordException.class)
        .hasMessageContaining("it carries no task, so no status can name its task and it is only dead-lettered");
    assertThat(target.refused).isEmpty();
  }

  @Test
  void shouldRejectATombstoneForThisAgentAndLeaveOtherAgentsRecordsToThem() {
    assertThatThrownBy(() -> handler.handle(record(null)))
        .isInstanceOf(RejectedRecordException.class)
        .hasMessageContaining("a placement without a value (a tombstone) for agent " + AGENT);

    handler.handle(new BusRecord<>("kos.placements", 0, 8, "another-agent", null, 0));
    assertThat(target.launched).isEmpty();
  }

  @Test
  void shouldLaunchAGoodTaskWithoutRefusingAnything() {
    handler.handle(record(Placements.launch(AGENT, "t1", "true")));

    assertThat(target.launched).extracting(TaskSpec::taskId).containsExactly("t1");
    assertThat(target.refused).isEmpty();
  }

  private static BusRecord<PlacementEvent> record(PlacementEvent event) {
    return new BusRecord<>("kos.placements", 0, 7, AGENT, event, 0);
  }

  private static final class RecordingTarget implements PlacementHandler.Target {
    record Refusal(TaskRef task, String reason) {
    }

    final List<TaskSpec> launched = new ArrayList<>();
    final List<Refusal> refused = new ArrayList<>();

    @Override
    public void launch(TaskSpec task) {
      launched.add(task);
    }

    @Override
    public void refuse(TaskRef task, String reason) {
      refused.add(new Refusal(task, reason));
    }

    @Override
    public void kill(KillRequest kill) {
    }

    @Override
    public VolumeResult createVolume(VolumeSpec volume) {
      throw new UnsupportedOperationException();
    }

    @Override
    public VolumeResult destroyVolume(String persistenceId, String role) {
      throw new UnsupportedOperationException();
    }
  }
}
