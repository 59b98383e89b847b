package dev.kos.frameworks.kafka.edge;

import dev.kos.bus.framework.SchedulerAvro;
import dev.kos.frameworks.kafka.core.Action;
import dev.kos.frameworks.kafka.core.BrokerOffer;
import dev.kos.frameworks.kafka.core.CommandHandler;
import dev.kos.frameworks.kafka.core.KafkaCommand;
import dev.kos.frameworks.kafka.core.KafkaCommandOutcome;
import dev.kos.model.CommandSpec;
import dev.kos.model.HealthCheck;
import dev.kos.model.Operation;
import dev.kos.model.PortRange;
import dev.kos.model.Ports;
import dev.kos.model.Reservation;
import dev.kos.model.Resources;
import dev.kos.model.TaskSpec;
import dev.kos.model.Volume;
import dev.kos.schema.AddKafkaBrokers;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.ConfigureKafkaCluster;
import dev.kos.schema.CreateKafkaCluster;
import dev.kos.schema.DeleteKafkaCluster;
import dev.kos.schema.RebalanceKafkaCluster;
import dev.kos.schema.RemoveKafkaBroker;
import dev.kos.schema.SetKafkaScalingPolicy;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.UpgradeKafkaCluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.DoubleStream;

/** The one place bus records become the kafka core's records and its actions become bus records. */
public final class KafkaAvro {

  /** Where a broker's volume appears in its sandbox; the task finds it as {@code $KOS_VOLUME_KAFKA}. */
  public static final String VOLUME_PATH = "kafka";

  private KafkaAvro() {
  }

  /** A command id and a command for the kafka framework, or empty when the payload is someone else's. */
  public static Optional<Map.Entry<String, KafkaCommand>> command(Command command) {
    Object payload = command.getPayload();
    KafkaCommand kafka;
    if (payload instanceof CreateKafkaCluster create) {
      Optional<String> unfit = unfitSize(create);
      kafka = new KafkaCommand.Create(create.getName(), create.getBrokers(), unfit.isPresent() ? Resources.NONE
          : Resources.of(create.getCpus(), create.getMem(), create.getDisk()), create.getConfig(),
          Optional.ofNullable(create.getVersion()), unfit);
    } else if (payload instanceof AddKafkaBrokers add) {
      kafka = new KafkaCommand.AddBrokers(add.getName(), add.getCount(), optional(add.getExpectedBrokers()));
    } else if (payload instanceof RemoveKafkaBroker remove) {
      kafka = new KafkaCommand.RemoveBroker(remove.getName(), remove.getBrokerId(),
          optional(remove.getExpectedBrokers()));
    } else if (payload instanceof ConfigureKafkaCluster configure) {
      kafka = new KafkaCommand.Configure(configure.getName(), configure.getConfig());
    } else if (payload instanceof UpgradeKafkaCluster upgrade) {
      kafka = new KafkaCommand.Upgrade(upgrade.getName(), upgrade.getVersion());
    } else if (payload instanceof DeleteKafkaCluster delete) {
      kafka = new KafkaCommand.Delete(delete.getName());
    } else if (payload instanceof RebalanceKafkaCluster rebalance) {
      kafka = new KafkaCommand.Rebalance(rebalance.getName());
    } else if (payload instanceof SetKafkaScalingPolicy set) {
      kafka = new KafkaCommand.SetScalingPolicy(set.getName(),
          Optional.ofNullable(set.getPolicy()).map(SchedulerAvro::scalingPolicy));
    } else {
      return Optional.empty();
    }
    return Optional.of(Map.entry(command.getCommandId(), kafka));
  }

  private static OptionalInt optional(Integer value) {
    return value == null ? OptionalInt.empty() : OptionalInt.of(value);
  }

  /**
   * An offer with the reservation of {@code role} kept apart from the unreserved resources, and the agent's rack:
   * the value of its attribute {@code rackAttribute}.
   */
  public static BrokerOffer offer(dev.kos.model.OfferView offer, String role, String rackAttribute) {
    Resources reserved = Resources.NONE;
    List<PortRange> reservedPorts = new ArrayList<>();
    for (Reservation reservation : offer.reservations()) {
      if (reservation.role().equals(role)) {
        reserved = reserved.plus(reservation.resources().scalars());
        reservedPorts.addAll(reservation.resources().ports().ranges());
      }
    }
    return new BrokerOffer(offer.offerId(), offer.agentId(), offer.hostname(),
        offer.unreserved().scalars(), offer.unreserved().ports().ranges(), reserved, reservedPorts,
        offer.attribute(rackAttribute));
  }

  public static CommandResult result(String commandId, KafkaCommandOutcome outcome, String handledBy, Instant at) {
    CommandResult.Builder result = CommandResult.newBuilder().setCommandId(commandId).setHandledBy(handledBy)
        .setTimestamp(at);
    return outcome instanceof KafkaCommandOutcome.Rejected rejected
        ? result.setStatus(CommandStatus.REJECTED).setReason(rejected.reason()).build()
        : result.setStatus(CommandStatus.ACCEPTED).build();
  }

  public static List<Operation> reserve(Action.Reserve reserve, String role) {
    return List.of(new Operation.Reserve(role, reserve.resources().withPorts(Ports.of(reserve.ports()))));
  }

  public static List<Operation> createVolume(Action.CreateVolume create, String role) {
    return List.of(new Operation.CreateVolume(new Volume(create.volumeId(), role, create.sizeMb(), VOLUME_PATH)));
  }

  public static List<Operation> destroyVolume(Action.DestroyVolume destroy, String role) {
    return List.of(new Operation.DestroyVolume(destroy.volumeId(), role));
  }

  public static List<Operation> unreserve(Action.Unreserve unreserve, String role) {
    return List.of(new Operation.Unreserve(role, unreserve.resources().withPorts(Ports.of(unreserve.ports()))));
  }

  /**
   * The launch of a broker task: {@code command} runs it, and the agent's TCP check of its client port tells
   * when it answers. The check's grace period covers a JVM start on a busy machine.
   */
  public static List<Operation> launch(Action.Launch launch, String role, String frameworkId, CommandSpec command) {
    TaskSpec task = new TaskSpec(launch.taskId(), launch.cluster() + "-broker-" + launch.nodeId(), frameworkId,
        Optional.of(launch.cluster()), command, launch.resources().scalars(), launch.ports(),
        launch.ports().size() == 3 ? List.of("client", "controller", "jmx") : List.of("client", "jmx"),
        List.of(new Volume(launch.volumeId(), role, launch.resources().disk(), VOLUME_PATH)),
        Optional.of(new HealthCheck(HealthCheck.Protocol.TCP, Optional.empty(), Optional.empty(), 0, 180, 2, 2, 3)),
        Map.of("kafka.cluster", launch.cluster(), "kafka.node.id", Integer.toString(launch.nodeId()),
            "kafka.version", launch.version()));
    return List.of(new Operation.Launch(List.of(task)));
  }

  public static StatusEvent notice(Action.Notice notice, String frameworkId, Optional<String> agentId,
      Optional<String> taskId, Map<String, Integer> counts, Instant at) {
    return StatusEvent.newBuilder().setTarget(notice.cluster()).setFramework(frameworkId).setKind(notice.kind())
        .setInstanceId(notice.nodeId() == 0 ? null : instanceId(notice.cluster(), notice.nodeId()))
        .setAgentId(agentId.orElse(null)).setTaskId(taskId.orElse(null)).setCounts(counts)
        .setMessage(notice.message()).setTimestamp(at).build();
  }

  /**
   * Why a requested broker size cannot be held as Resources (a negative or non-finite amount): still the
   * handler's to reject, with the reason its size rule gives.
   */
  private static Optional<String> unfitSize(CreateKafkaCluster create) {
    double cpus = create.getCpus();
    double mem = create.getMem();
    double disk = create.getDisk();
    if (DoubleStream.of(cpus, mem, disk).allMatch(v -> v >= 0 && Double.isFinite(v))) {
      return Optional.empty();
    }
    return CommandHandler.brokerSizeProblem(cpus, mem, disk).or(() -> Optional.of(
        "each broker's cpus, mem and disk must be finite numbers; got " + cpus + " cpus, " + mem + " MB mem, "
            + disk + " MB disk"));
  }

  public static String instanceId(String cluster, int nodeId) {
    return cluster + "/broker-" + nodeId;
  }

  private static Resources resources(dev.kos.schema.Resources resources) {
    return Resources.of(resources.getCpus(), resources.getMem(), resources.getDisk());
  }
}
