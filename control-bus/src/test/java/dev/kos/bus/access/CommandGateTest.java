package dev.kos.bus.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.client.Answerer;
import dev.kos.bus.json.JsonToAvro;
import dev.kos.schema.Command;
import dev.kos.schema.CommandStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandGateTest {

  /** A policy as an operator writes it; the token file's form, with a hash, is read the same way. */
  private static final AccessPolicy POLICY = AccessPolicy.parse("policy", List.of(
      "# principal  grants",
      "alice        web:operate,@all:view",
      "batcher      jobs:operate",
      "ops          @all:admin",
      "viewer       @all:view   sha256:" + "0".repeat(64),
      "autoscaler   @all:operate"));

  private static final String JOB = "{\"job\": {\"id\": \"nightly\", \"cmd\": \"true\", \"role\": \"jobs\"}}";
  private static final String WEB_APP = "{\"app\": {\"id\": \"/web\", \"cmd\": \"true\", \"role\": \"web\"}}";

  static Stream<Arguments> decisions() {
    return Stream.of(
        // principal, command role, kind, payload, the reason (null: allowed)
        Arguments.of("alice", "web", "ScaleApp", "{\"appId\": \"/web\", \"instances\": 3}", null),
        Arguments.of("alice", "*", "ScaleApp", "{\"appId\": \"/web\", \"instances\": 3}",
            "principal alice lacks the permission operate in role * (it has web:operate,@all:view)"),
        Arguments.of("alice", "web", "DeployApp", WEB_APP, null),
        Arguments.of("alice", "web", "RunJob", JOB,
            "principal alice lacks the permission operate in role jobs (it has web:operate,@all:view)"),
        Arguments.of("batcher", "jobs", "RunJob", JOB, null),
        Arguments.of("batcher", "jobs", "CreateKafkaCluster", "{\"name\": \"k\", \"brokers\": 1}", null),
        Arguments.of("alice", "web", "CreateKafkaCluster", "{\"name\": \"k\", \"brokers\": 1}", null),
        Arguments.of("alice", "kafka", "DeleteKafkaCluster", "{\"name\": \"k\"}",
            "principal alice lacks the permission operate in role kafka (it has web:operate,@all:view)"),
        Arguments.of("viewer", "*", "RestartApp", "{\"appId\": \"/web\"}",
            "principal viewer lacks the permission operate in role * (it has @all:view)"),
        Arguments.of("alice", "web", "DrainAgent", "{\"agentId\": \"a1\"}",
            "principal alice lacks the permission admin on the cluster (@all:admin) (it has web:operate,@all:view)"),
        Arguments.of("ops", "*", "DrainAgent", "{\"agentId\": \"a1\"}", null),
        Arguments.of("ops", "*", "UndrainAgent", "{\"agentId\": \"a1\"}", null),
        Arguments.of("autoscaler", "web", "ScaleApp", "{\"appId\": \"/web\", \"instances\": 3}", null),
        Arguments.of("autoscaler", "*", "DrainAgent", "{\"agentId\": \"a1\"}",
            "principal autoscaler lacks the permission admin on the cluster (@all:admin) (it has @all:operate)"),
        Arguments.of("alice", "web", "SetQuota", "{\"role\": \"web\"}",
            "principal alice lacks the permission admin on the cluster (@all:admin) (it has web:operate,@all:view)"),
        Arguments.of("ops", "*", "ConfigureRole", "{\"role\": \"web\"}", null),
        Arguments.of("mallory", "*", "RunJob", JOB, "principal mallory is not in the access policy, so it lacks the"
            + " permission operate in role *; ask an operator to grant it"));
  }

  @ParameterizedTest(name = "{0} sends {2} in role {1}: {4}")
  @MethodSource("decisions")
  void decidesByTheCommandsPrincipal(String principal, String role, String kind, String payload, String reason) {
    Command command = command(principal, role, kind, payload);

    assertThat(new CommandGate(POLICY, Optional.empty()).denies(command)).isEqualTo(Optional.ofNullable(reason));
  }

  @Test
  void withoutAPolicyEveryCommandPasses() {
    assertThat(CommandGate.open(Optional.empty()).denies(command("mallory", "*", "DrainAgent",
        "{\"agentId\": \"a1\"}"))).isEmpty();
  }

  @Test
  void everyKindOfCommandHasARule() {
    Schema union = Command.getClassSchema().getField("payload").schema();
    for (Schema kind : union.getTypes()) {
      assertThat(new CommandGate(POLICY, Optional.empty()).denies(command("ops", "*", kind.getName(), "{}")))
          .as(kind.getName() + " by an admin").isEmpty();
    }
  }

  @ParameterizedTest(name = "{1} is answered by {0}: {2}")
  @MethodSource("answerers")
  void aComponentAnswersOnlyItsOwnKinds(Answerer self, String kind, boolean answers) {
    assertThat(new CommandGate(POLICY, Optional.of(self)).answers(command("ops", "*", kind, "{}"))).isEqualTo(answers);
  }

  static Stream<Arguments> answerers() {
    return Stream.of(
        Arguments.of(Answerer.APPS_FRAMEWORK, "ScaleApp", true),
        Arguments.of(Answerer.APPS_FRAMEWORK, "DrainAgent", false),
        Arguments.of(Answerer.JOBS_FRAMEWORK, "RunJob", true),
        Arguments.of(Answerer.JOBS_FRAMEWORK, "ScaleApp", false),
        Arguments.of(Answerer.KAFKA_FRAMEWORK, "AddKafkaBrokers", true),
        Arguments.of(Answerer.ALLOCATOR, "DrainAgent", true),
        Arguments.of(Answerer.ALLOCATOR, "RunJob", false));
  }

  @Test
  void aRejectionCarriesTheReasonAndWhoHandledIt() {
    Command command = command("alice", "web", "DrainAgent", "{\"agentId\": \"a1\"}");
    var result = CommandGate.rejection(command, "principal alice lacks ...", "allocator", Instant.EPOCH);
    assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
    assertThat(result.getCommandId()).isEqualTo(command.getCommandId());
    assertThat(result.getReason()).isEqualTo("principal alice lacks ...");
    assertThat(result.getHandledBy()).isEqualTo("allocator");
  }

  @SuppressWarnings("unchecked")
  private static Command command(String principal, String role, String kind, String payload) {
    try {
      Class<? extends SpecificRecord> type = (Class<? extends SpecificRecord>) Class.forName("dev.kos.schema." + kind);
      String body = payload.equals("{}") ? minimal(kind) : payload;
      return Command.newBuilder().setCommandId("c-" + kind).setPrincipal(principal).setRole(role)
          .setTimestamp(Instant.EPOCH).setPayload(JsonToAvro.toSpecificRecord(body, type)).build();
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  /** The smallest valid payload of each kind, for the tests that care only about the kind. */
  private static String minimal(String kind) {
    return switch (kind) {
      case "DeployApp", "UpdateApp" -> WEB_APP;
      case "RunJob" -> JOB;
      case "ScaleApp" -> "{\"appId\": \"/web\", \"instances\": 1}";
      case "RestartApp", "RemoveApp", "SetScalingPolicy" -> "{\"appId\": \"/web\"}";
      case "KillInstance" -> "{\"taskId\": \"t1\"}";
      case "RegisterFramework" -> "{\"frameworkId\": \"f\", \"name\": \"f\", \"role\": \"web\"}";
      case "SetQuota", "ConfigureRole" -> "{\"role\": \"web\"}";
      case "DrainAgent", "UndrainAgent" -> "{\"agentId\": \"a1\"}";
      case "RemoveKafkaBroker" -> "{\"name\": \"k\", \"brokerId\": 1}";
      case "ConfigureKafkaCluster" -> "{\"name\": \"k\", \"config\": {}}";
      case "UpgradeKafkaCluster" -> "{\"name\": \"k\", \"version\": \"4.2.0\"}";
      default -> "{\"name\": \"k\"}";
    };
  }
}
