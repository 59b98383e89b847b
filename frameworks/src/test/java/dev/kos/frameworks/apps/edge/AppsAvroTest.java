package dev.kos.frameworks.apps.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.bus.framework.SchedulerAvro;
import dev.kos.frameworks.apps.core.Agent;
import dev.kos.frameworks.apps.core.AppCommand;
import dev.kos.frameworks.apps.core.AppCommandOutcome;
import dev.kos.frameworks.apps.core.AppDecision;
import dev.kos.frameworks.apps.core.AppDefinition;
import dev.kos.frameworks.apps.core.AppValidator;
import dev.kos.frameworks.apps.core.CommandEnvelope;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.frameworks.apps.core.InstanceState;
import dev.kos.frameworks.apps.core.InstanceVolume;
import dev.kos.frameworks.apps.core.Instances;
import dev.kos.frameworks.apps.core.PlannerOffer;
import dev.kos.frameworks.apps.core.TaskReport;
import dev.kos.model.ContainerSpec;
import dev.kos.model.Operation;
import dev.kos.model.PortRange;
import dev.kos.model.Resources;
import dev.kos.schema.AppSpec;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.Constraint;
import dev.kos.schema.ConstraintOperator;
import dev.kos.schema.ContainerInfo;
import dev.kos.schema.CreateVolumeOperation;
import dev.kos.schema.DeployApp;
import dev.kos.schema.HealthCheck;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.JobSpec;
import dev.kos.schema.KillInstance;
import dev.kos.schema.LaunchOperation;
import dev.kos.schema.Offer;
import dev.kos.schema.PortDefinition;
import dev.kos.schema.Reservation;
import dev.kos.schema.ReserveOperation;
import dev.kos.schema.RunJob;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import dev.kos.schema.UpgradeStrategy;
import dev.kos.schema.Volume;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppsAvroTest {

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  private static AppSpec spec() {
    return AppSpec.newBuilder().setId("/team-a/db").setCmd("./db").setInstances(2).setCpus(1).setMem(256)
        .setDisk(10)
        .setPorts(List.of(new PortDefinition("http", 0)))
        .setEnv(Map.of("MODE", "primary"))
        .setHealthChecks(List.of(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.HTTP).setPath("/health")
            .build()))
        .setConstraints(List.of(new Constraint("hostname", ConstraintOperator.UNIQUE, null),
            new Constraint("rack", ConstraintOperator.MAX_PER, "2")))
        .setUpgradeStrategy(new UpgradeStrategy(0.5, 0.0))
        .setVolumes(List.of(new Volume("data", "web", 512.0, "data")))
        .setRole("web").setLabels(Map.of("team", "a")).build();
  }

  @Test
  void shouldMapAnAppSpecBothWays() {
    AppDefinition app = AppsAvro.app(spec(), "c1");

    assertThat(AppValidator.violations(app)).isEmpty();
    assertThat(app.constraints()).map(c -> c.label()).containsExactly("UNIQUE hostname", "MAX_PER rack:2");
    assertThat(app.resources()).isEqualTo(Resources.of(1, 256, 522));
    assertThat(AppsAvro.spec(app)).isEqualTo(spec());
  }

  @Test
  void shouldMapTheHostUserAnAppRunsAsBothWays() {
    AppSpec spec = AppSpec.newBuilder(spec()).setUser("nobody").build();

    AppDefinition app = AppsAvro.app(spec, "c1");

    assertThat(app.user()).contains("nobody");
    assertThat(AppsAvro.spec(app)).isEqualTo(spec);
    assertThat(AppsAvro.app(spec(), "c1").user()).isEmpty();
  }

  @Test
  void shouldMapAnAppsArtifactsBothWaysAndGiveThemToEachInstancesTask() {
    dev.kos.schema.Artifact jar = dev.kos.schema.Artifact.newBuilder().setUri("http://repo/app.jar")
        .setSha256("e".repeat(64)).build();
    AppSpec spec = AppSpec.newBuilder(spec()).setArtifacts(List.of(jar)).build();

    AppDefinition app = AppsAvro.app(spec, "c1");
    AppDecision.Launch launch = new AppDecision.Launch("db.p1-0", 3, app.id(), "c1", "o1", Agent.of("a1"),
        app.resources(), List.of(31000), List.of(new InstanceVolume("data.db.p1-0.0", "data", 512)), false, true);
    TaskInfo task = ((LaunchOperation) SchedulerAvro.operation(AppsAvro.operations(launch, app, "apps").get(0)))
        .getTasks().get(0);

    assertThat(app.artifacts()).containsExactly(dev.kos.model.Artifact.of("http://repo/app.jar")
        .withSha256("e".repeat(64)));
    assertThat(AppsAvro.spec(app)).isEqualTo(spec);
    assertThat(task.getCommand().getArtifacts()).containsExactly(jar);
    assertThatThrownBy(() -> AppsAvro.app(AppSpec.newBuilder(spec()).setArtifacts(List.of(
        dev.kos.schema.Artifact.newBuilder().setUri("ftp://repo/app.jar").build())).build(), "c1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("file:, http: and https:");
  }

  @Test
  void shouldMapAContainerAppBothWaysAndLaunchItInItsImage() {
    AppSpec spec = AppSpec.newBuilder(spec()).setCmd(null).setVolumes(List.of())
        .setUpgradeStrategy(new UpgradeStrategy(0.5, 1.0))
        .setContainer(ContainerInfo.newBuilder().setImage("oci:/images/web:1").setArgs(List.of("--port", "$PORT0"))
            .build()).build();

    AppDefinition app = AppsAvro.app(spec, "c1");

    assertThat(AppValidator.violations(app)).isEmpty();
    assertThat(app.container()).contains(ContainerSpec.of("oci:/images/web:1").withArgs(List.of("--port", "$PORT0")));
    assertThat(AppsAvro.spec(app)).isEqualTo(spec);
    assertThatThrownBy(() -> AppsAvro.app(AppSpec.newBuilder(spec).setContainer(ContainerInfo.newBuilder()
        .setImage("nginx:latest").build()).build(), "c2")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nginx:latest");
  }

  @Test
  void shouldOfferReservedAndUnreservedResourcesTogether() {
    Offer offer = Offer.newBuilder().setOfferId("o1").setFrameworkId("apps").setAgentId("a1").setHostname("host-1")
        .setResources(resources(2, 1024, 100, 31000, 31009))
        .setReservations(List.of(new Reservation("web", resources(1, 512, 600, 32000, 32000))))
        .setAttributes(Map.of("rack", "r1")).setCreatedAt(AT).setExpiresAt(AT).build();

    PlannerOffer view = AppsAvro.offer(SchedulerAvro.offer(offer));

    assertThat(view.agent()).isEqualTo(new Agent("a1", "host-1", Map.of("rack", "r1")));
    assertThat(view.resources()).isEqualTo(Resources.of(3, 1536, 700));
    assertThat(view.ports().ranges()).containsExactly(new PortRange(31000, 31009), new PortRange(32000, 32000));
  }

  @Test
  void shouldMapATaskStatus() {
    TaskStatus status = TaskStatus.newBuilder().setTaskId("web.p1-0.2").setFrameworkId("apps").setAgentId("a1")
        .setState(TaskState.RUNNING).setHealthy(true).setTimestamp(AT).build();

    assertThat(AppsAvro.status(SchedulerAvro.status(status)))
        .isEqualTo(new TaskReport("web.p1-0.2", InstanceState.RUNNING, Optional.of(true), AT));
  }

  @Test
  void shouldNotEndAStagingTaskThatKosHasNoRecordOfYet() {
    // What the driver's reconcile answers for a task kos.tasks does not know: its launch may be in flight.
    TaskStatus unknown = TaskStatus.newBuilder().setTaskId("web.p1-0.0").setFrameworkId("apps").setAgentId("")
        .setState(TaskState.LOST).setMessage("kos knows no task web.p1-0.0 (never launched, or forgotten)")
        .setTimestamp(Instant.EPOCH).build();
    Instance staging = new Instance("web.p1-0", "/web", "v1", Agent.of("a1"), 0, InstanceState.STAGING, false, false,
        Instant.EPOCH, 0, Optional.empty(), Optional.empty(), List.of());
    Instance running = new Instance("web.p1-1", "/web", "v1", Agent.of("a1"), 0, InstanceState.RUNNING, false, true,
        Instant.EPOCH, 0, Optional.empty(), Optional.empty(), List.of());

    assertThat(Instances.afterStatus(List.of(staging), AppsAvro.status(SchedulerAvro.status(unknown)))).containsExactly(staging);
    unknown.setTaskId("web.p1-1.0");
    assertThat(Instances.afterStatus(List.of(running), AppsAvro.status(SchedulerAvro.status(unknown))))
        .singleElement().extracting(Instance::state).isEqualTo(InstanceState.LOST);
  }

  @Test
  void shouldMapAppCommandsAndLeaveOthersAlone() {
    Command deploy = command(new DeployApp(spec()));
    Command scale = command(new ScaleApp("/team-a/db", 5));
    Command kill = command(new KillInstance("db.p1-0.0", true));
    Command job = command(new RunJob(JobSpec.newBuilder().setId("/nightly").setCmd("true").build()));

    assertThat(AppsAvro.command(deploy)).get().extracting(CommandEnvelope::command)
        .isEqualTo(new AppCommand.Deploy(AppsAvro.app(spec(), "c1")));
    assertThat(AppsAvro.command(scale)).get()
        .isEqualTo(new CommandEnvelope("c1", "alice", "web", AT, new AppCommand.Scale("/team-a/db", 5)));
    assertThat(AppsAvro.command(kill)).get().extracting(CommandEnvelope::command)
        .isEqualTo(new AppCommand.KillInstance("db.p1-0.0", true));
    assertThat(AppsAvro.command(job)).isEmpty();
  }

  @Test
  void shouldAnswerWithTheDeploymentOrTheReason() {
    CommandResult accepted = AppsAvro.result("c1",
        new AppCommandOutcome.Accepted(Map.of(), "c1", List.of()), "apps", AT);
    CommandResult rejected = AppsAvro.result("c2", new AppCommandOutcome.Rejected("app /x does not exist"), "apps", AT);

    assertThat(accepted.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    assertThat(accepted.getDeploymentId()).isEqualTo("c1");
    assertThat(rejected.getStatus()).isEqualTo(CommandStatus.REJECTED);
    assertThat(rejected.getReason()).isEqualTo("app /x does not exist");
  }

  @Test
  void shouldReserveAndCreateVolumesBeforeAStatefulFirstLaunch() {
    AppDefinition app = AppsAvro.app(spec(), "c1");
    InstanceVolume volume = new InstanceVolume("data.db.p1-0.0", "data", 512);
    AppDecision.Launch launch = new AppDecision.Launch("db.p1-0", 0, app.id(), "c1", "o1", Agent.of("a1"),
        app.resources(), List.of(31000), List.of(volume), true, true);

    List<Object> operations = AppsAvro.operations(launch, app, "apps").stream().map(SchedulerAvro::operation)
        .toList();

    assertThat(operations).hasExactlyElementsOfTypes(ReserveOperation.class, CreateVolumeOperation.class,
        LaunchOperation.class);
    assertThat(((ReserveOperation) operations.get(0)).getRole()).isEqualTo("web");
    assertThat(((CreateVolumeOperation) operations.get(1)).getVolume())
        .isEqualTo(new Volume("data.db.p1-0.0", "web", 512.0, "data"));
    TaskInfo task = ((LaunchOperation) operations.get(2)).getTasks().get(0);
    assertThat(task.getTaskId()).isEqualTo("db.p1-0.0");
    assertThat(task.getPortNames()).containsExactly("http");
    assertThat(task.getResources().getPorts()).containsExactly(new dev.kos.schema.PortRange(31000, 31000));
    assertThat(task.getHealthCheck().getPath()).isEqualTo("/health");
  }

  @Test
  void shouldOnlyLaunchWhenTheVolumesExist() {
    AppDefinition app = AppsAvro.app(spec(), "c1");
    AppDecision.Launch launch = new AppDecision.Launch("db.p1-0", 3, app.id(), "c1", "o1", Agent.of("a1"),
        app.resources(), List.of(31000), List.of(new InstanceVolume("data.db.p1-0.0", "data", 512)), false, true);

    assertThat(AppsAvro.operations(launch, app, "apps")).hasExactlyElementsOfTypes(Operation.Launch.class);
  }

  private static dev.kos.schema.Resources resources(double cpus, double mem, double disk, int begin, int end) {
    return dev.kos.schema.Resources.newBuilder().setCpus(cpus).setMem(mem).setDisk(disk)
        .setPorts(List.of(new dev.kos.schema.PortRange(begin, end))).build();
  }

  private static Command command(Object payload) {
    return Command.newBuilder().setCommandId("c1").setPrincipal("alice").setRole("web").setTimestamp(AT)
        .setPayload(payload).build();
  }
}
