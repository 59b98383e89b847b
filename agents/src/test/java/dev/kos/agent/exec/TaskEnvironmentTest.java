package dev.kos.agent.exec;

import static dev.kos.agent.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.model.TaskSpec;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.model.ContainerSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskEnvironmentTest {
  private static final Sandbox SANDBOX = new Sandbox(Path.of("/work/sandboxes/t1"));

  @Test
  void shouldTellTheTaskItsIdsResourcesAndPorts() {
    TaskSpec spec = task("t1").cpus(0.5).memMb(128).port(31000, "http").port(31001, "admin-api").build();

    Map<String, String> env = TaskEnvironment.build("a1", spec, SANDBOX, Map.of(), Map.of("PATH", "/bin"));

    assertThat(env).containsEntry("KOS_TASK_ID", "t1")
        .containsEntry("KOS_AGENT_ID", "a1")
        .containsEntry("KOS_FRAMEWORK_ID", "fw-1")
        .containsEntry("KOS_APP_ID", "app-1")
        .containsEntry("KOS_SANDBOX", "/work/sandboxes/t1")
        .containsEntry("KOS_CPUS", "0.5")
        .containsEntry("KOS_MEM", "128")
        .containsEntry("PORT0", "31000")
        .containsEntry("PORT1", "31001")
        .containsEntry("PORT", "31000")
        .containsEntry("PORTS", "31000,31001")
        .containsEntry("PORT_HTTP", "31000")
        .containsEntry("PORT_ADMIN_API", "31001")
        .containsEntry("PATH", "/bin")
        .containsEntry("HOME", "/work/sandboxes/t1");
  }

  @Test
  void shouldShowAContainerItsSandboxWhereItSeesItAndNothingOfTheHost() {
    TaskSpec spec = task("t1").container(ContainerSpec.of("oci:/images/web")).env("GREETING", "hi")
        .port(31000, "http").build();

    Map<String, String> env = TaskEnvironment.forContainer("a1", spec, List.of());

    assertThat(env).containsEntry("KOS_SANDBOX", "/kos/sandbox").containsEntry("KOS_TASK_ID", "t1")
        .containsEntry("PORT_HTTP", "31000").containsEntry("GREETING", "hi")
        .doesNotContainKeys("PATH", "HOME");
  }

  @Test
  void shouldShowAContainerItsVolumesWhereItSeesThem() {
    TaskSpec spec = task("t1").container(ContainerSpec.of("oci:/images/db")).volume("db-1", "r", "data/pg").build();

    Map<String, String> env = TaskEnvironment.forContainer("a1", spec, spec.volumes());

    assertThat(env).containsEntry("KOS_VOLUME_DATA_PG", "/kos/sandbox/data/pg");
  }

  @Test
  void shouldNotLetTheTaskOverrideWhatTheAgentTellsIt() {
    TaskSpec spec = task("t1").env("KOS_TASK_ID", "spoofed").env("GREETING", "hi").build();

    Map<String, String> env = TaskEnvironment.build("a1", spec, SANDBOX, Map.of(), Map.of());

    assertThat(env).containsEntry("KOS_TASK_ID", "t1").containsEntry("GREETING", "hi");
  }

  @Test
  void shouldNotLeakTheAgentsOwnEnvironment() {
    Map<String, String> env = TaskEnvironment.build("a1", task("t1").build(), SANDBOX, Map.of(),
        Map.of("KAFKA_PASSWORD", "secret"));

    assertThat(env).doesNotContainKey("KAFKA_PASSWORD").containsKey("PATH");
  }

  @Test
  void shouldNameEachVolumeByItsContainerPath() {
    VolumeSpec volume = new VolumeSpec("pg-data", "db", 0, "var/pg");

    Map<String, String> env = TaskEnvironment.build("a1", task("t1").build(), SANDBOX,
        Map.of(volume, Path.of("/work/volumes/pg-data/data")), Map.of());

    assertThat(env).containsEntry("KOS_VOLUME_VAR_PG", "/work/volumes/pg-data/data");
  }
}
