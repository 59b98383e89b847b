package dev.kos.bus.framework;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.CommandSpec;
import dev.kos.model.ContainerSpec;
import dev.kos.model.HealthCheck;
import dev.kos.model.OfferView;
import dev.kos.model.Operation;
import dev.kos.model.Ports;
import dev.kos.model.Reservation;
import dev.kos.model.Resources;
import dev.kos.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.model.Volume;
import dev.kos.schema.ContainerNetwork;
import dev.kos.schema.CreateVolumeOperation;
import dev.kos.schema.DestroyVolumeOperation;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.LaunchOperation;
import dev.kos.schema.Offer;
import dev.kos.schema.PortRange;
import dev.kos.schema.ReserveOperation;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskStatus;
import dev.kos.schema.UnreserveOperation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SDK's one mapping between model types and Avro records. */
class SchedulerAvroTest {

  private static final Instant AT = Instant.parse("2026-12-07T04:00:00Z");

  @Test
  void shouldSeeAnOfferWithItsReservationsApartAndItsAttributes() {
    Offer offer = Offer.newBuilder().setOfferId("o1").setFrameworkId("fw").setAgentId("a1").setHostname("h1")
        .setResources(resources(1, 512, 100, 31000, 31009))
        .setReservations(List.of(new dev.kos.schema.Reservation("web", resources(0.5, 256, 10, 32000, 32000))))
        .setAttributes(Map.of("rack", "r1")).setCreatedAt(AT).setExpiresAt(AT.plusSeconds(30)).build();

    OfferView view = SchedulerAvro.offer(offer);

    assertThat(view.unreserved()).isEqualTo(Resources.of(1, 512, 100).withPorts(Ports.range(31000, 31009)));
    assertThat(view.reservations()).containsExactly(
        new Reservation("web", Resources.of(0.5, 256, 10).withPorts(Ports.range(32000, 32000))));
    assertThat(view.total().scalars()).isEqualTo(Resources.of(1.5, 768, 110));
    assertThat(view.attribute("rack")).contains("r1");
    assertThat(view.expiresAt()).isEqualTo(AT.plusSeconds(30));
  }

  @Test
  void shouldSayAReconciledTaskWithoutAgentIsUnknownToKos() {
    TaskStatus lost = TaskStatus.newBuilder().setTaskId("t1").setFrameworkId("fw").setAgentId("")
        .setState(dev.kos.schema.TaskState.LOST).setMessage("kos knows no task t1").setTimestamp(AT).build();
    TaskStatus running = TaskStatus.newBuilder().setTaskId("t2").setFrameworkId("fw").setAgentId("a1")
        .setState(dev.kos.schema.TaskState.RUNNING).setHealthy(true).setExitCode(null).setTimestamp(AT).build();

    assertThat(SchedulerAvro.status(lost).unknownToKos()).isTrue();
    assertThat(SchedulerAvro.status(running)).isEqualTo(new TaskStatusUpdate("t2", "fw", "a1", Optional.empty(),
        TaskState.RUNNING, Optional.empty(), Optional.empty(), Optional.of(true), Optional.empty(), Optional.empty(),
        AT));
  }

  @Test
  void shouldGiveATaskItsPortsOneRangeEachInItsOrder() {
    TaskSpec task = new TaskSpec("t1", "web", "fw", Optional.of("/web"), CommandSpec.shell("./serve"),
        Resources.of(1, 256, 0), List.of(31005, 31001), List.of("http", "admin"),
        List.of(new Volume("data-1", "web", 512, "data")),
        Optional.of(new HealthCheck(HealthCheck.Protocol.HTTP, Optional.empty(), Optional.of("/health"), 0, 30, 10,
            5, 3)), Map.of("team", "a"));

    TaskInfo info = ((LaunchOperation) SchedulerAvro.operation(new Operation.Launch(List.of(task)))).getTasks()
        .get(0);

    assertThat(info.getResources().getPorts()).containsExactly(new PortRange(31005, 31005),
        new PortRange(31001, 31001));
    assertThat(info.getPortNames()).containsExactly("http", "admin");
    assertThat(info.getAppId()).isEqualTo("/web");
    assertThat(info.getCommand().getShell()).isEqualTo("./serve");
    assertThat(info.getVolumes()).containsExactly(new dev.kos.schema.Volume("data-1", "web", 512.0, "data"));
    assertThat(info.getHealthCheck().getProtocol()).isEqualTo(HealthCheckProtocol.HTTP);
    assertThat(info.getHealthCheck().getPath()).isEqualTo("/health");
    assertThat(info.getLabels()).containsEntry("team", "a");
  }

  @Test
  void shouldCarryTheHostUserATaskRunsAs() {
    TaskSpec task = TaskSpec.of("t1", "web", "fw", CommandSpec.shell("./serve").asUser("nobody"),
        Resources.of(1, 256, 0));
    TaskSpec asAgent = TaskSpec.of("t2", "web", "fw", CommandSpec.shell("./serve"), Resources.of(1, 256, 0));

    List<TaskInfo> infos = ((LaunchOperation) SchedulerAvro.operation(new Operation.Launch(List.of(task, asAgent))))
        .getTasks();

    assertThat(infos).extracting(info -> info.getCommand().getUser()).containsExactly("nobody", null);
  }

  @Test
  void shouldCarryATasksArtifactsBothWays() {
    dev.kos.model.Artifact jar = dev.kos.model.Artifact.of("http://repo/app.jar").withSha256("0".repeat(64))
        .at("lib/app.jar");
    dev.kos.model.Artifact tools = dev.kos.model.Artifact.of("file:/srv/tools.tgz").extracted();
    TaskSpec task = TaskSpec.of("t1", "web", "fw",
        CommandSpec.shell("./serve").withArtifacts(List.of(jar, tools)), Resources.of(1, 256, 0));

    TaskInfo info = ((LaunchOperation) SchedulerAvro.operation(new Operation.Launch(List.of(task)))).getTasks()
        .get(0);

    assertThat(info.getCommand().getArtifacts()).extracting(dev.kos.schema.Artifact::getUri)
        .containsExactly("http://repo/app.jar", "file:/srv/tools.tgz");
    assertThat(info.getCommand().getArtifacts().stream().map(SchedulerAvro::artifact).toList())
        .containsExactly(jar, tools);
  }

  @Test
  void shouldCarryATasksContainerBothWays() {
    ContainerSpec container = new ContainerSpec("oci:/images/web:1", Optional.of(List.of("/bin/sh")),
        Optional.of(List.of("-c", "serve")), Optional.of("/srv"), Map.of("MODE", "prod"), ContainerSpec.Network.NONE);
    TaskSpec task = TaskSpec.of("t1", "web", "fw", CommandSpec.NONE, Resources.of(1, 256, 0)).inContainer(container);

    TaskInfo info = ((LaunchOperation) SchedulerAvro.operation(new Operation.Launch(List.of(task)))).getTasks()
        .get(0);

    assertThat(info.getContainer().getImage()).isEqualTo("oci:/images/web:1");
    assertThat(info.getContainer().getNetwork()).isEqualTo(ContainerNetwork.NONE);
    assertThat(SchedulerAvro.container(info.getContainer())).isEqualTo(container);
    assertThat(SchedulerAvro.container(SchedulerAvro.container(ContainerSpec.of("oci:/images/web"))))
        .isEqualTo(ContainerSpec.of("oci:/images/web"));
    assertThat(SchedulerAvro.task(TaskSpec.of("t2", "p", "fw", CommandSpec.shell("true"), Resources.of(1, 1)))
        .getContainer()).as("a process task carries no container").isNull();
  }

  @Test
  void shouldMapEveryOtherOperationToItsRecord() {
    Resources reserved = Resources.of(1, 512, 1024).withPorts(Ports.range(26000, 26002));

    assertThat(SchedulerAvro.operation(new Operation.Reserve("kafka", reserved)))
        .isEqualTo(new ReserveOperation("kafka", resources(1, 512, 1024, 26000, 26002)));
    assertThat(SchedulerAvro.operation(new Operation.Unreserve("kafka", reserved)))
        .isEqualTo(new UnreserveOperation("kafka", resources(1, 512, 1024, 26000, 26002)));
    assertThat(SchedulerAvro.operation(new Operation.CreateVolume(new Volume("v1", "kafka", 1024, "kafka"))))
        .isEqualTo(new CreateVolumeOperation(new dev.kos.schema.Volume("v1", "kafka", 1024.0, "kafka")));
    assertThat(SchedulerAvro.operation(new Operation.DestroyVolume("v1", "kafka")))
        .isEqualTo(new DestroyVolumeOperation("v1", "kafka"));
  }

  private static dev.kos.schema.Resources resources(double cpus, double mem, double disk, int begin, int end) {
    return dev.kos.schema.Resources.newBuilder().setCpus(cpus).setMem(mem).setDisk(disk)
        .setPorts(List.of(new PortRange(begin, end))).build();
  }
}
