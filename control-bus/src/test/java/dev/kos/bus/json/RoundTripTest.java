package dev.kos.bus.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kos.schema.AgentReport;
import dev.kos.schema.Command;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.HealthCheck;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.PortRange;
import dev.kos.schema.Reservation;
import dev.kos.schema.Resources;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import dev.kos.schema.Volume;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Records of the real kos schemas survive AvroToJson then JsonToAvro unchanged. */
class RoundTripTest {

  private static final Instant NOON = Instant.parse("2025-01-15T12:00:00.250Z");

  record Example(String name, SpecificRecord record) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Example> records() {
    return Stream.of(
        new Example("Command with a ScaleApp payload", Command.newBuilder()
            .setCommandId("cmd-scale-web-5").setPrincipal("alice").setRole("web").setTimestamp(NOON)
            .setPayload(new ScaleApp("/web", 5))
            .build()),
        new Example("AgentReport with port ranges, reservations and attributes", AgentReport.newBuilder()
            .setAgentId("agent-1").setHostname("node-1.example")
            .setTotal(resources(4.0, 8192.0, List.of(new PortRange(31000, 32000), new PortRange(8080, 8080))))
            .setUsed(resources(0.5, 256.0, List.of(new PortRange(31000, 31001))))
            .setReservations(List.of(new Reservation("web", resources(1.0, 1024.0, List.of()))))
            .setAttributes(Map.of("rack", "r1", "zone", "eu-west-1a"))
            .setHeartbeatTime(NOON).setStartedAt(Instant.EPOCH).setDraining(true)
            .build()),
        new Example("TaskStatus with its nullable fields null", TaskStatus.newBuilder()
            .setTaskId("web.1").setFrameworkId("marathon").setAgentId("agent-1")
            .setState(TaskState.STAGING).setTimestamp(NOON)
            .build()),
        new Example("TaskStatus with its nullable fields set", TaskStatus.newBuilder()
            .setTaskId("web.1").setFrameworkId("marathon").setAgentId("agent-1").setAppId("/web")
            .setState(TaskState.FAILED).setMessage("exited with 137: killed by the OOM killer")
            .setExitCode(137).setHealthy(false).setResources(resources(0.5, 256.0, List.of()))
            .setLimitEnforcement("cgroup-v2").setTimestamp(NOON)
            .build()),
        new Example("PlacementEvent with a LaunchTask", new PlacementEvent(LaunchTask.newBuilder()
            .setAgentId("agent-1").setFrameworkId("marathon").setOfferId("offer-7")
            .setTask(TaskInfo.newBuilder()
                .setTaskId("web.1").setName("web").setFrameworkId("marathon").setAppId("/web")
                .setCommand(CommandInfo.newBuilder().setArgv(List.of("python3", "-m", "http.server"))
                    .setEnv(Map.of("MODE", "prod")).build())
                .setResources(resources(0.5, 256.0, List.of(new PortRange(31000, 31000))))
                .setPortNames(List.of("http"))
                .setVolumes(List.of(new Volume("vol-1", "web", 100.0, "data")))
                .setHealthCheck(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.HTTP)
                    .setPath("/health").build())
                .setLabels(Map.of("team", "storefront"))
                .build())
            .build())),
        new Example("DeadLetter with raw bytes", DeadLetter.newBuilder()
            .setTopic("kos.commands").setPartition(0).setOffset(42L)
            .setValue(ByteBuffer.wrap(new byte[] {0, -1, 42, 10, -128}))
            .setReason("not Avro: magic byte 0xff").setConsumer("allocator").setTimestamp(NOON)
            .build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void shouldReadBackAnEqualGeneratedRecord(Example example) {
    String json = AvroToJson.toJson(example.record()).toString();

    assertThat(JsonToAvro.toSpecificRecord(json, example.record().getClass())).isEqualTo(example.record());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void shouldReadBackAValidGenericRecordThatPrintsTheSame(Example example) {
    ObjectNode json = AvroToJson.toJson(example.record());

    GenericRecord generic = JsonToAvro.toRecord(json.toString(), example.record().getSchema());

    assertThat(GenericData.get().validate(example.record().getSchema(), generic)).isTrue();
    assertThat(AvroToJson.toJson(generic)).isEqualTo(json);
  }

  private static Resources resources(double cpus, double mem, List<PortRange> ports) {
    return Resources.newBuilder().setCpus(cpus).setMem(mem).setPorts(ports).build();
  }
}
