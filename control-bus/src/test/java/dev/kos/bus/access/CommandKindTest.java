package dev.kos.bus.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.client.Answerer;
import dev.kos.schema.AppSpec;
import dev.kos.schema.Command;
import dev.kos.schema.DeployApp;
import dev.kos.schema.DrainAgent;
import dev.kos.schema.ScaleApp;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CommandKindTest {

  @Test
  void anAppCommandNeedsOperateInTheCommandsRole() {
    CommandKind scale = CommandKind.named("ScaleApp").orElseThrow();
    assertThat(scale.answerer()).isEqualTo(Answerer.APPS_FRAMEWORK);
    assertThat(scale.permissions(new ScaleApp("/web", 3), "web"))
        .containsExactly(Permission.inRole(Verb.OPERATE, "web"));
  }

  @Test
  void aDeployAlsoNeedsOperateInTheRoleTheAppRunsIn() {
    DeployApp deploy = new DeployApp(AppSpec.newBuilder().setId("/web").setCmd("true").setRole("batch").build());
    assertThat(CommandKind.named("DeployApp").orElseThrow().permissions(deploy, "*"))
        .containsExactly(Permission.inRole(Verb.OPERATE, "*"), Permission.inRole(Verb.OPERATE, "batch"));
  }

  @Test
  void drainingAnAgentNeedsAdminOnTheCluster() {
    CommandKind drain = CommandKind.named("DrainAgent").orElseThrow();
    assertThat(drain.answerer()).isEqualTo(Answerer.ALLOCATOR);
    assertThat(drain.permissions(new DrainAgent("a1"), "web")).containsExactly(Permission.cluster(Verb.ADMIN));
  }

  @Test
  void theClustersConfigurationIsAnsweredByTheAllocatorAndNeedsAdminOnTheCluster() {
    for (String name : List.of("SetQuota", "ConfigureRole", "RegisterFramework")) {
      CommandKind kind = CommandKind.named(name).orElseThrow();
      assertThat(kind.answerer()).as(name).isEqualTo(Answerer.ALLOCATOR);
      assertThat(kind.verb()).as(name).isEqualTo(Verb.ADMIN);
      assertThat(kind.scope()).as(name).isEqualTo(Permission.Scope.CLUSTER);
    }
  }

  @Test
  void everyKindIsAPayloadOfTheCommandEnvelope() {
    List<String> payloads = Command.getClassSchema().getField("payload").schema().getTypes().stream()
        .map(Schema::getName).toList();
    assertThat(payloads).containsAll(CommandKind.names());
    assertThat(payloads).containsExactlyInAnyOrderElementsOf(CommandKind.names());
    assertThat(CommandKind.named("Nope")).isEmpty();
  }
}
