package dev.kos.agent.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.agent.model.CapacityReport;
import dev.kos.agent.model.HealthProtocol;
import dev.kos.agent.model.LogRecord;
import dev.kos.agent.model.LogSource;
import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.agent.model.TaskRef;
import dev.kos.agent.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.agent.model.TaskUsage;
import dev.kos.agent.model.VolumeResult;
import dev.kos.model.ContainerSpec;
import dev.kos.schema.ContainerInfo;
import dev.kos.schema.ContainerNetwork;
import dev.kos.schema.AgentReport;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.HealthCheck;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.KillTask;
import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import dev.kos.schema.MetricSample;
import dev.kos.schema.Reservation;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskStatus;
import dev.kos.schema.Volume;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvroMappingTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static TaskInfo.Builder taskInfo() {
    return TaskInfo.newBuilder()
        .setTaskId("t1").setName("web").setFrameworkId("fw").setAppId("app")
        .setCommand(CommandInfo.newBuilder().setShell("echo hi").setEnv(Map.of("A", "1")).build())
        .setResources(Resources.newBuilder().setCpus(0.5).setMem(128).setDisk(10)
            .setPorts(List.of(new dev.kos.schema.PortRange(31000, 31001))).build())
        .setPortNames(List.of("http"))
        .setVolumes(List.of(Volume.newBuilder().setPersistenceId("v1").setRole("db").build()))
        .setHealthCheck(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.HTTP).setPath("/health")
            .setGracePeriodSeconds(5).setIntervalSeconds(2).setTimeoutSeconds(1)
            .setMaxConsecutiveFailures(2).build());
  }

  @Test
  void shouldMapATaskInfoOnce() {
    TaskSpec task = PlacementAvro.task(taskInfo().build());

    assertThat(task.taskId()).isEqualTo("t1");
    assertThat(task.appId()).isEqualTo("app");
    assertThat(task.command().commandLine()).containsExactly("/bin/sh", "-c", "echo hi");
    assertThat(task.command().env()).containsEntry("A", "1");
    assertThat(task.resources()).isEqualTo(new ResourceSet(0.5, 128, 10, List.of(new PortRange(31000, 31001))));
    assertThat(task.resources().portList()).containsExactly(31000, 31001);
    assertThat(task.volumes().get(0).containerPath()).isEqualTo("data");
    assertThat(task.healthCheck().protocol()).isEqualTo(HealthProtocol.HTTP);
    assertThat(task.healthCheck().gracePeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(task.healthCheck().maxConsecutiveFailures()).isEqualTo(2);
  }

  @Test
  void shouldMapATasksContainerAndRefuseAnImageNoAgentCouldFind() {
    ContainerInfo container = ContainerInfo.newBuilder().setImage("oci:/images/web:1").setArgs(List.of("--v"))
        .setNetwork(ContainerNetwork.NONE).build();

    assertThat(PlacementAvro.task(taskInfo().build()).container()).as("a process task").isNull();
    assertThat(PlacementAvro.task(taskInfo().setContainer(container).build()).container())
        .isEqualTo(ContainerSpec.of("oci:/images/web:1").withArgs(List.of("--v"))
            .withNetwork(ContainerSpec.Network.NONE));
    assertThatThrownBy(() -> PlacementAvro.task(taskInfo().setContainer(ContainerInfo.newBuilder(container)
        .setImage("web:latest").build()).build())).hasMessageContaining("image web:latest is not oci:PATH[:TAG]");
  }

  @Test
  void shouldRefuseAnUnsafePersistenceIdAtTheEdge() {
    TaskInfo info = taskInfo().setVolumes(List.of(Volume.newBuilder().setPersistenceId("../etc").setRole("db").build()))
        .build();

    assertThatThrownBy(() -> PlacementAvro.task(info)).hasMessageContaining("invalid persistence id '../etc'");
  }

  @Test
  void shouldMapAKill() {
    KillTask kill = KillTask.newBuilder().setAgentId("a1").setFrameworkId("fw").setTaskId("t1")
        .setGracePeriodMs(1500).build();

    assertThat(PlacementAvro.kill(kill).gracePeriod()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void shouldMapAStatusWithThisAgentsId() {
    StatusUpdate update = new StatusUpdate("t1", "fw", null, TaskState.FAILED, "exited with code 3", 3, null,
        new ResourceSet(1, 64, 0, List.of()), "watchdog", NOW);

    TaskStatus status = new ReportAvro("a1").status(update);

    assertThat(status.getAgentId()).isEqualTo("a1");
    assertThat(status.getState()).isEqualTo(dev.kos.schema.TaskState.FAILED);
    assertThat(status.getExitCode()).isEqualTo(3);
    assertThat(status.getResources().getMem()).isEqualTo(64);
    assertThat(status.getLimitEnforcement()).isEqualTo("watchdog");
    assertThat(status.getTimestamp()).isEqualTo(NOW);
  }

  @Test
  void shouldMapLogLinesAndMetrics() {
    TaskRef task = new TaskRef("t1", "fw", "app");
    LogLine line = new ReportAvro("a1").log(new LogRecord(task, LogSource.STDERR, NOW, 7, "oops"));
    MetricSample metric = new ReportAvro("a1").metric(new TaskUsage(task, Duration.ofMillis(1500), 2048, 2, NOW));

    assertThat(line.getStream()).isEqualTo(LogStream.STDERR);
    assertThat(line.getSeq()).isEqualTo(7);
    assertThat(line.getAgentId()).isEqualTo("a1");
    assertThat(metric.getKind()).isEqualTo("task");
    assertThat(metric.getValues()).containsEntry("cpu_seconds", 1.5).containsEntry("rss_bytes", 2048.0);
  }

  @Test
  void shouldMapACapacityReportWithReservationsInRoleOrder() {
    ResourceSet total = new ResourceSet(4, 8192, 100, List.of(new PortRange(31000, 32000)));
    CapacityReport report = new CapacityReport("host-1", total, new ResourceSet(1, 64, 0, List.of()),
        Map.of("web", new ResourceSet(1, 0, 0, List.of()), "spark", new ResourceSet(2, 1024, 0, List.of())),
        Map.of("rack", "r1"), NOW.plusSeconds(5), NOW, "cgroup-v2", "cgroup-v1-freezer");

    AgentReport avro = new ReportAvro("a1").report(report);

    assertThat(avro.getAgentId()).isEqualTo("a1");
    assertThat(avro.getHostname()).isEqualTo("host-1");
    assertThat(avro.getTotal().getPorts()).containsExactly(new dev.kos.schema.PortRange(31000, 32000));
    assertThat(avro.getUsed().getCpus()).isEqualTo(1.0);
    assertThat(avro.getReservations()).extracting(Reservation::getRole).containsExactly("spark", "web");
    assertThat(avro.getReservations().get(0).getResources().getMem()).isEqualTo(1024.0);
    assertThat(avro.getAttributes()).containsEntry("rack", "r1");
    assertThat(avro.getHeartbeatTime()).isEqualTo(NOW.plusSeconds(5));
    assertThat(avro.getStartedAt()).isEqualTo(NOW);
    assertThat(avro.getLimitEnforcement()).isEqualTo("cgroup-v2");
    assertThat(avro.getKillMethod()).isEqualTo("cgroup-v1-freezer");
  }

  @Test
  void shouldMapVolumeResultsToCommandResultsKeyedByOperationAndPersistenceId() {
    ReportAvro outbound = new ReportAvro("a1");

    CommandResult created = outbound.volumeResult("create-volume", VolumeResult.ok("v1", "db", "created"), NOW);
    CommandResult refused = outbound.volumeResult("destroy-volume",
        VolumeResult.refused("v1", "db", "volume v1 is in use by task t1"), NOW);

    assertThat(created.getCommandId()).isEqualTo("create-volume:v1");
    assertThat(created.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    assertThat(created.getHandledBy()).isEqualTo("agent:a1");
    assertThat(refused.getCommandId()).isEqualTo("destroy-volume:v1");
    assertThat(refused.getStatus()).isEqualTo(CommandStatus.REJECTED);
    assertThat(refused.getReason()).isEqualTo("volume v1 is in use by task t1");
  }
}
