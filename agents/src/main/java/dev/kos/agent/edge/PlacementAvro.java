package dev.kos.agent.edge;

import dev.kos.agent.model.CommandSpec;
import dev.kos.agent.model.HealthCheckSpec;
import dev.kos.agent.model.HealthProtocol;
import dev.kos.agent.model.KillRequest;
import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.model.TaskSpec;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.bus.framework.SchedulerAvro;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.CreateVolume;
import dev.kos.schema.HealthCheck;
import dev.kos.schema.KillTask;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.Volume;
import java.time.Duration;
import java.util.List;

/**
 * Maps what reaches an agent on {@code kos.placements} (tasks to launch, kills, volumes to create or destroy) to
 * the agent's own values, once, at the edge. A record that cannot be mapped
 * (a bad port range, an unsafe persistence id) throws {@link IllegalArgumentException}: the shell
 * sends it to the dead-letter topic.
 */
public final class PlacementAvro {
  private PlacementAvro() {
  }

  public static TaskSpec task(LaunchTask launch) {
    return task(launch.getTask());
  }

  public static TaskSpec task(TaskInfo info) {
    return new TaskSpec(
        info.getTaskId(),
        info.getName(),
        info.getFrameworkId(),
        info.getAppId(),
        command(info.getCommand()),
        resources(info.getResources()),
        info.getPortNames(),
        info.getVolumes().stream().map(PlacementAvro::volume).toList(),
        info.getHealthCheck() == null ? null : healthCheck(info.getHealthCheck()),
        info.getLabels(),
        info.getContainer() == null ? null : SchedulerAvro.container(info.getContainer()));
  }

  public static KillRequest kill(KillTask kill) {
    return new KillRequest(kill.getTaskId(), kill.getFrameworkId(), Duration.ofMillis(Math.max(0, kill.getGracePeriodMs())));
  }

  public static VolumeSpec volume(CreateVolume create) {
    return volume(create.getVolume());
  }

  public static VolumeSpec volume(Volume volume) {
    return new VolumeSpec(volume.getPersistenceId(), volume.getRole(), volume.getSizeMb(),
        volume.getContainerPath());
  }

  public static ResourceSet resources(Resources resources) {
    List<PortRange> ports = resources.getPorts().stream()
        .map(range -> new PortRange(range.getBegin(), range.getEnd()))
        .toList();
    return new ResourceSet(resources.getCpus(), resources.getMem(), resources.getDisk(), ports);
  }

  private static CommandSpec command(CommandInfo command) {
    return new CommandSpec(command.getShell(), command.getArgv(), command.getEnv(), command.getUser(),
        command.getArtifacts().stream().map(SchedulerAvro::artifact).toList());
  }

  private static HealthCheckSpec healthCheck(HealthCheck check) {
    return new HealthCheckSpec(
        HealthProtocol.valueOf(check.getProtocol().name()),
        check.getCommand(),
        check.getPath(),
        check.getPortIndex(),
        Duration.ofSeconds(check.getGracePeriodSeconds()),
        Duration.ofSeconds(check.getIntervalSeconds()),
        Duration.ofSeconds(check.getTimeoutSeconds()),
        check.getMaxConsecutiveFailures());
  }
}
