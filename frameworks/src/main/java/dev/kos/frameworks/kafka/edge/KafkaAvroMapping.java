package dev.kos.frameworks.kafka.edge;

import dev.kos.frameworks.kafka.core.Action;
import dev.kos.frameworks.kafka.core.CommandOutcome;
import dev.kos.frameworks.kafka.core.KafkaCommand;
import dev.kos.frameworks.kafka.core.OfferView;
import dev.kos.frameworks.kafka.core.TaskPhase;
import dev.kos.model.PortRange;
import dev.kos.model.Resources;
import dev.kos.schema.AddKafkaBrokers;
import dev.kos.schema.Command;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.ConfigureKafkaCluster;
import dev.kos.schema.CreateKafkaCluster;
import dev.kos.schema.CreateVolumeOperation;
import dev.kos.schema.DestroyVolumeOperation;
import dev.kos.schema.HealthCheck;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.LaunchOperation;
import dev.kos.schema.Offer;
import dev.kos.schema.RemoveKafkaBroker;
import dev.kos.schema.Reservation;
import dev.kos.schema.ReserveOperation;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskStatus;
import dev.kos.schema.UnreserveOperation;
import dev.kos.schema.UpgradeKafkaCluster;
import dev.kos.schema.Volume;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The one place bus records become the kafka core's records and its actions become bus records. */
public final class KafkaAvroMapping {

  /** Where a broker's volume appears in its sandbox; the task finds it as {@code $KOS_VOLUME_KAFKA}. */
  public static final String VOLUME_PATH = "kafka";

  private KafkaAvroMapping() {
  }

  /** A command id and a command for the kafka framework, or empty when the payload is someone else's. */
  public static Optional<Map.Entry<String, KafkaCommand>> command(Command command) {
    Object payload = command.getPayload();
    KafkaCommand kafka;
    if (payload instanceof CreateKafkaCluster create) {
      kafka = new KafkaCommand.Create(create.getName(), create.getBrokers(),
          Resources.of(create.getCpus(), create.getMem(), create.getDisk()), create.getConfig(),
          Optional.ofNullable(create.getVersion()));
    } else if (payload instanceof AddKafkaBrokers add) {
      kafka = new KafkaCommand.AddBrokers(add.getName(), add.getCount());
    } else if (payload instanceof RemoveKafkaBroker remove) {
      kafka = new KafkaCommand.RemoveBroker(remove.getName(), remove.getBrokerId());
    } else if (payload instanceof ConfigureKafkaCluster configure) {
      kafka = new KafkaCommand.Configure(configure.getName(), configure.getConfig());
    } else if (payload instanceof UpgradeKafkaCluster upgrade) {
      kafka = new KafkaCommand.Upgrade(upgrade.getName(), upgrade.getVersion());
    } else {
      return Optional.empty();
    }
    return Optional.of(Map.entry(command.getCommandId(), kafka));
  }

  /**
   * An offer with the reservation of {@code role} kept apart from the unreserved resources, and the agent's rack:
   * the value of its attribute {@code rackAttribute}.
   */
  public static OfferView offer(Offer offer, String role, String rackAttribute) {
    Resources reserved = Resources.NONE;
    List<PortRange> reservedPorts = new ArrayList<>();
    for (Reservation reservation : offer.getReservations()) {
      if (reservation.getRole().equals(role)) {
        reserved = reserved.plus(resources(reservation.getResources()));
        reservedPorts.addAll(ports(reservation.getResources()));
      }
    }
    return new OfferView(offer.getOfferId(), offer.getAgentId(), offer.getHostname(),
        resources(offer.getResources()), ports(offer.getResources()), reserved, reservedPorts,
        Optional.ofNullable(offer.getAttributes().get(rackAttribute)));
  }

  public static TaskPhase.Update status(TaskStatus status) {
    return new TaskPhase.Update(status.getTaskId(), TaskPhase.valueOf(status.getState().name()),
        Optional.ofNullable(status.getHealthy()), status.getMessage());
  }

  public static CommandResult result(String commandId, CommandOutcome outcome, String handledBy, Instant at) {
    CommandResult.Builder result = CommandResult.newBuilder().setCommandId(commandId).setHandledBy(handledBy)
        .setTimestamp(at);
    return outcome instanceof CommandOutcome.Rejected rejected
        ? result.setStatus(CommandStatus.REJECTED).setReason(rejected.reason()).build()
        : result.setStatus(CommandStatus.ACCEPTED).build();
  }

  public static List<Object> reserve(Action.Reserve reserve, String role) {
    return List.of(new ReserveOperation(role, resources(reserve.resources(), reserve.ports())));
  }

  public static List<Object> createVolume(Action.CreateVolume create, String role) {
    return List.of(new CreateVolumeOperation(new Volume(create.volumeId(), role, create.sizeMb(), VOLUME_PATH)));
  }

  public static List<Object> destroyVolume(Action.DestroyVolume destroy, String role) {
    return List.of(new DestroyVolumeOperation(destroy.volumeId(), role));
  }

  public static List<Object> unreserve(Action.Unreserve unreserve, String role) {
    return List.of(new UnreserveOperation(role, resources(unreserve.resources(), unreserve.ports())));
  }

  /**
   * The launch of a broker task: {@code command} runs it, and the agent's TCP check of its client port tells
   * when it answers. The check's grace period covers a JVM start on a busy machine.
   */
  public static List<Object> launch(Action.Launch launch, String role, String frameworkId, CommandInfo command) {
    TaskInfo task = TaskInfo.newBuilder().setTaskId(launch.taskId())
        .setName(launch.cluster() + "-broker-" + launch.nodeId()).setFrameworkId(frameworkId)
        .setAppId(launch.cluster()).setCommand(command)
        .setResources(resources(launch.resources(), launch.ports()))
        .setPortNames(launch.ports().size() == 3 ? List.of("client", "controller", "jmx") : List.of("client", "jmx"))
        .setVolumes(List.of(new Volume(launch.volumeId(), role, launch.resources().disk(), VOLUME_PATH)))
        .setHealthCheck(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.TCP).setPortIndex(0)
            .setGracePeriodSeconds(180).setIntervalSeconds(2).setTimeoutSeconds(2).setMaxConsecutiveFailures(3)
            .build())
        .setLabels(Map.of("kafka.cluster", launch.cluster(), "kafka.node.id", Integer.toString(launch.nodeId()),
            "kafka.version", launch.version()))
        .build();
    return List.of(new LaunchOperation(List.of(task)));
  }

  public static StatusEvent notice(Action.Notice notice, String frameworkId, Optional<String> agentId,
      Optional<String> taskId, Map<String, Integer> counts, Instant at) {
    return StatusEvent.newBuilder().setTarget(notice.cluster()).setFramework(frameworkId).setKind(notice.kind())
        .setInstanceId(notice.nodeId() == 0 ? null : instanceId(notice.cluster(), notice.nodeId()))
        .setAgentId(agentId.orElse(null)).setTaskId(taskId.orElse(null)).setCounts(counts)
        .setMessage(notice.message()).setTimestamp(at).build();
  }

  public static String instanceId(String cluster, int nodeId) {
    return cluster + "/broker-" + nodeId;
  }

  private static Resources resources(dev.kos.schema.Resources resources) {
    return Resources.of(resources.getCpus(), resources.getMem(), resources.getDisk());
  }

  private static List<PortRange> ports(dev.kos.schema.Resources resources) {
    return resources.getPorts().stream().map(r -> new PortRange(r.getBegin(), r.getEnd())).toList();
  }

  private static dev.kos.schema.Resources resources(Resources resources, List<Integer> ports) {
    return dev.kos.schema.Resources.newBuilder().setCpus(resources.cpus()).setMem(resources.mem())
        .setDisk(resources.disk())
        .setPorts(ports.stream().map(port -> new dev.kos.schema.PortRange(port, port)).toList()).build();
  }
}
