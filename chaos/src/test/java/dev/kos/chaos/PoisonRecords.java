package dev.kos.chaos;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.Accept;
import dev.kos.schema.AcceptEvent;
import dev.kos.schema.AgentReport;
import dev.kos.schema.AppSpec;
import dev.kos.schema.Command;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.DeployApp;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.Resources;
import dev.kos.schema.RoleInfo;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The bad records of the poison cases. The Avro "bomb" is a value with the topic's real schema id
 * whose first array announces {@value #BOMB_COUNT} elements and then ends: 5 bytes of count after
 * the fields before it. A decoder that trusts the count allocates the whole array.
 */
final class PoisonRecords {

  /** Just under Avro's default collection limit (Integer.MAX_VALUE - 8), so only the allocation stops it. */
  static final int BOMB_COUNT = Integer.MAX_VALUE - 8;
  /**
   * Just under the broker's default max.message.bytes (1048588, for the whole batch with its ~61-byte
   * header and the record's own framing): the record itself is accepted, but a dead letter that
   * copies it, with its topic, consumer and reason added, is not.
   */
  static final int NEAR_LIMIT = 1_048_400;

  private PoisonRecords() {
  }

  static byte[] garbage() {
    return "this is not an Avro record \u0001\u0002\u00ff".getBytes(StandardCharsets.UTF_8);
  }

  /** About 1 MB, just under the broker's limit. */
  static byte[] nearTheSizeLimit() {
    byte[] value = new byte[NEAR_LIMIT];
    Arrays.fill(value, (byte) 'x');
    return value;
  }

  /**
   * A RoleInfo that decodes but means nothing the allocator can use (a weight of 0 or below, or a utilization
   * threshold outside (0, 1]), as `kos publish roles` lets a user publish it.
   */
  static byte[] badRole(ControlBus bus, String role, double weight, Double maxClusterUtilization) {
    return bus.serde(Topics.ROLES).serialize(bus.topic(Topics.ROLES), RoleInfo.newBuilder().setRole(role)
        .setWeight(weight).setMaxClusterUtilization(maxClusterUtilization).build());
  }

  /**
   * A registration of {@code frameworkId} with a weight the allocator refuses, at epoch 0: below any running
   * instance's, so it replaces no one (a bad record, not a takeover).
   */
  static byte[] badFramework(ControlBus bus, String frameworkId, double weight) {
    Instant now = Instant.now();
    return bus.serde(Topics.FRAMEWORKS).serialize(bus.topic(Topics.FRAMEWORKS), FrameworkInfo.newBuilder()
        .setFrameworkId(frameworkId).setName(frameworkId).setRole("*").setWeight(weight).setRegisteredAt(now)
        .setHeartbeatAt(now).setEpoch(0).build());
  }

  /** The bomb for an Avro topic of the poison cases. */
  static byte[] arrayBomb(ControlBus bus, TopicDef<?> topic) {
    Function<List<?>, SpecificRecord> record = templates().get(topic);
    if (record == null) {
      throw new IllegalArgumentException("no bomb template for " + topic.suffix());
    }
    return bomb(bus, topic, record);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static byte[] bomb(ControlBus bus, TopicDef topic, Function<List<?>, SpecificRecord> record) {
    // The header (magic byte and schema id) of a real record of the topic: the registry knows the schema.
    byte[] valid = bus.serde(topic).serialize(bus.topic(topic), record.apply(List.of()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(valid, 0, 5);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    SpecificRecord bomb = record.apply(new Announced());
    try {
      new SpecificDatumWriter<>((Class<SpecificRecord>) bomb.getClass()).write(bomb, encoder);
      throw new IllegalStateException("the announced array of " + topic.suffix() + " was never written");
    } catch (Stop | IOException e) {
      // The count is out; what follows it is left out on purpose.
    } catch (RuntimeException e) {
      if (!(e.getCause() instanceof Stop)) {
        throw e;
      }
    }
    return out.toByteArray();
  }

  /** A list that announces {@link #BOMB_COUNT} elements and stops the writer at the first. */
  private static final class Announced extends AbstractList<Object> {
    @Override
    public Object get(int index) {
      throw new Stop();
    }

    @Override
    public int size() {
      return BOMB_COUNT;
    }
  }

  private static final class Stop extends RuntimeException {
    Stop() {
      super(null, null, false, false);
    }
  }

  /** For each Avro input topic, a record whose first array (in encoding order) is the given list. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Map<TopicDef<?>, Function<List<?>, SpecificRecord>> templates() {
    Instant now = Instant.now();
    return Map.of(
        Topics.AGENTS, ports -> AgentReport.newBuilder().setAgentId("a1").setHostname("h")
            .setTotal(resources((List) ports)).setUsed(resources(List.of())).setHeartbeatTime(now).setStartedAt(now)
            .build(),
        Topics.ACCEPTS, offerIds -> AcceptEvent.newBuilder().setPayload(Accept.newBuilder()
            .setOfferIds((List) offerIds).setFrameworkId("apps").setAgentId("a1").setOperations(List.of())
            .setTimestamp(now).build()).build(),
        Topics.TASK_STATUS, ports -> TaskStatus.newBuilder().setTaskId("poison.0").setFrameworkId("apps")
            .setAgentId("a1").setState(TaskState.RUNNING).setResources(resources((List) ports)).setTimestamp(now)
            .build(),
        Topics.COMMANDS, argv -> Command.newBuilder().setCommandId("poison").setPrincipal("chaos")
            .setPayload(new DeployApp(AppSpec.newBuilder().setId("/poison").setArgv((List) argv).build())).build(),
        Topics.PLACEMENTS, ports -> PlacementEvent.newBuilder().setPayload(LaunchTask.newBuilder().setAgentId("a1")
            .setFrameworkId("apps").setOfferId("o-poison").setTask(TaskInfo.newBuilder().setTaskId("poison.0")
                .setName("poison").setFrameworkId("apps").setCommand(CommandInfo.newBuilder().setShell("true").build())
                .setResources(resources((List) ports)).build()).build()).build());
  }

  private static Resources resources(List<dev.kos.schema.PortRange> ports) {
    return Resources.newBuilder().setCpus(0.1).setMem(8).setPorts(ports).build();
  }
}
