package dev.kos.bus.framework;

import dev.kos.model.Artifact;
import dev.kos.model.CommandSpec;
import dev.kos.model.ContainerSpec;
import dev.kos.model.HealthCheck;
import dev.kos.model.Operation;
import dev.kos.model.OfferView;
import dev.kos.model.PortRange;
import dev.kos.model.Ports;
import dev.kos.model.Reservation;
import dev.kos.model.Resources;
import dev.kos.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.model.Volume;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.ContainerInfo;
import dev.kos.schema.ContainerNetwork;
import dev.kos.schema.CreateVolumeOperation;
import dev.kos.schema.DestroyVolumeOperation;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.LaunchOperation;
import dev.kos.schema.Offer;
import dev.kos.schema.ReserveOperation;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskStatus;
import dev.kos.schema.UnreserveOperation;
import java.util.List;
import java.util.Optional;

/**
 * The one edge between the framework SDK's model types and the bus's Avro records: schedulers see offers and
 * statuses, and send operations, only as model types.
 */
public final class SchedulerAvro {

  private SchedulerAvro() {
  }

  public static OfferView offer(Offer offer) {
    return new OfferView(offer.getOfferId(), offer.getFrameworkId(), offer.getAgentId(), offer.getHostname(),
        resources(offer.getResources()),
        offer.getReservations().stream().map(r -> new Reservation(r.getRole(), resources(r.getResources()))).toList(),
        offer.getAttributes(), offer.getCreatedAt(), offer.getExpiresAt());
  }

  public static TaskStatusUpdate status(TaskStatus status) {
    return new TaskStatusUpdate(status.getTaskId(), status.getFrameworkId(), status.getAgentId(),
        Optional.ofNullable(status.getAppId()), TaskState.valueOf(status.getState().name()),
        Optional.ofNullable(status.getMessage()), Optional.ofNullable(status.getExitCode()),
        Optional.ofNullable(status.getHealthy()), Optional.ofNullable(status.getResources()).map(SchedulerAvro::resources),
        Optional.ofNullable(status.getLimitEnforcement()), status.getTimestamp());
  }

  /** The Avro record of an operation, as an accept carries it. */
  public static Object operation(Operation operation) {
    if (operation instanceof Operation.Launch launch) {
      return LaunchOperation.newBuilder().setTasks(launch.tasks().stream().map(SchedulerAvro::task).toList()).build();
    } else if (operation instanceof Operation.Reserve reserve) {
      return ReserveOperation.newBuilder().setRole(reserve.role()).setResources(resources(reserve.resources())).build();
    } else if (operation instanceof Operation.Unreserve unreserve) {
      return UnreserveOperation.newBuilder().setRole(unreserve.role()).setResources(resources(unreserve.resources()))
          .build();
    } else if (operation instanceof Operation.CreateVolume create) {
      return CreateVolumeOperation.newBuilder().setVolume(volume(create.volume())).build();
    } else if (operation instanceof Operation.DestroyVolume destroy) {
      return DestroyVolumeOperation.newBuilder().setPersistenceId(destroy.persistenceId()).setRole(destroy.role())
          .build();
    }
    throw new IllegalArgumentException("unknown operation " + operation);
  }

  public static TaskInfo task(TaskSpec task) {
    Resources resources = task.resources();
    dev.kos.schema.Resources avroResources = dev.kos.schema.Resources.newBuilder().setCpus(resources.cpus())
        .setMem(resources.mem()).setDisk(resources.disk())
        // one range per port, in the task's order: the agent names the i-th port with the i-th port name
        .setPorts(task.ports().stream().map(port -> new dev.kos.schema.PortRange(port, port)).toList()).build();
    return TaskInfo.newBuilder().setTaskId(task.taskId()).setName(task.name()).setFrameworkId(task.frameworkId())
        .setAppId(task.appId().orElse(null)).setCommand(command(task.command())).setResources(avroResources)
        .setPortNames(task.portNames()).setVolumes(task.volumes().stream().map(SchedulerAvro::volume).toList())
        .setHealthCheck(task.healthCheck().map(SchedulerAvro::healthCheck).orElse(null)).setLabels(task.labels())
        .setContainer(task.container().map(SchedulerAvro::container).orElse(null)).build();
  }

  public static ContainerInfo container(ContainerSpec container) {
    return ContainerInfo.newBuilder().setImage(container.image()).setEntrypoint(container.entrypoint().orElse(null))
        .setArgs(container.args().orElse(null)).setWorkingDir(container.workingDir().orElse(null))
        .setEnv(container.env()).setNetwork(ContainerNetwork.valueOf(container.network().name())).build();
  }

  /** The model's container spec of a record; a record no agent could run throws {@link IllegalArgumentException}. */
  public static ContainerSpec container(ContainerInfo container) {
    return new ContainerSpec(container.getImage(), Optional.ofNullable(container.getEntrypoint()),
        Optional.ofNullable(container.getArgs()), Optional.ofNullable(container.getWorkingDir()), container.getEnv(),
        ContainerSpec.Network.valueOf(container.getNetwork().name()));
  }

  public static Resources resources(dev.kos.schema.Resources resources) {
    List<PortRange> ranges = resources.getPorts().stream().map(r -> new PortRange(r.getBegin(), r.getEnd())).toList();
    return new Resources(resources.getCpus(), resources.getMem(), resources.getDisk(),
        ranges.isEmpty() ? Ports.NONE : new Ports(ranges));
  }

  public static dev.kos.schema.Resources resources(Resources resources) {
    return dev.kos.schema.Resources.newBuilder().setCpus(resources.cpus()).setMem(resources.mem())
        .setDisk(resources.disk()).setPorts(resources.ports().ranges().stream()
            .map(r -> new dev.kos.schema.PortRange(r.begin(), r.end())).toList()).build();
  }

  private static CommandInfo command(CommandSpec command) {
    return CommandInfo.newBuilder().setShell(command.shell().orElse(null)).setArgv(command.argv())
        .setEnv(command.env()).setUser(command.user().orElse(null))
        .setArtifacts(command.artifacts().stream().map(SchedulerAvro::artifact).toList()).build();
  }

  public static dev.kos.schema.Artifact artifact(Artifact artifact) {
    return dev.kos.schema.Artifact.newBuilder().setUri(artifact.uri()).setSha256(artifact.sha256().orElse(null))
        .setExtract(artifact.extract()).setExecutable(artifact.executable())
        .setDestination(artifact.destination().orElse(null)).build();
  }

  /** The model's artifact of a record; one no agent could fetch safely throws {@link IllegalArgumentException}. */
  public static Artifact artifact(dev.kos.schema.Artifact artifact) {
    return new Artifact(artifact.getUri(), Optional.ofNullable(artifact.getSha256()), artifact.getExtract(),
        artifact.getExecutable(), Optional.ofNullable(artifact.getDestination()));
  }

  private static dev.kos.schema.Volume volume(Volume volume) {
    return dev.kos.schema.Volume.newBuilder().setPersistenceId(volume.persistenceId()).setRole(volume.role())
        .setSizeMb(volume.sizeMb()).setContainerPath(volume.containerPath()).build();
  }

  /** A policy as the bus carries it; not checked ({@link dev.kos.model.ScalingPolicy#requireValid} says why not). */
  public static dev.kos.model.ScalingPolicy scalingPolicy(dev.kos.schema.ScalingPolicy policy) {
    return new dev.kos.model.ScalingPolicy(policy.getMetric(), policy.getTarget(), policy.getMinInstances(),
        policy.getMaxInstances(), policy.getTolerance(), policy.getMaxStepUp(), policy.getMaxStepDown(),
        java.time.Duration.ofSeconds(policy.getCooldownSeconds()),
        java.time.Duration.ofSeconds(policy.getScaleUpStabilizationSeconds()),
        java.time.Duration.ofSeconds(policy.getScaleDownStabilizationSeconds()),
        dev.kos.model.ScaleMode.valueOf(policy.getMode().name()));
  }

  public static dev.kos.schema.ScalingPolicy scalingPolicy(dev.kos.model.ScalingPolicy policy) {
    return dev.kos.schema.ScalingPolicy.newBuilder().setMetric(policy.metric()).setTarget(policy.target())
        .setMinInstances(policy.minInstances()).setMaxInstances(policy.maxInstances())
        .setTolerance(policy.tolerance()).setMaxStepUp(policy.maxStepUp()).setMaxStepDown(policy.maxStepDown())
        .setCooldownSeconds((int) policy.cooldown().toSeconds())
        .setScaleUpStabilizationSeconds((int) policy.upWindow().toSeconds())
        .setScaleDownStabilizationSeconds((int) policy.downWindow().toSeconds())
        .setMode(dev.kos.schema.ScaleMode.valueOf(policy.mode().name())).build();
  }

  public static dev.kos.schema.HealthCheck healthCheck(HealthCheck check) {
    return dev.kos.schema.HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.valueOf(check.protocol().name()))
        .setCommand(check.command().orElse(null)).setPath(check.path().orElse(null)).setPortIndex(check.portIndex())
        .setGracePeriodSeconds(check.gracePeriodSeconds()).setIntervalSeconds(check.intervalSeconds())
        .setTimeoutSeconds(check.timeoutSeconds()).setMaxConsecutiveFailures(check.maxConsecutiveFailures()).build();
  }
}
