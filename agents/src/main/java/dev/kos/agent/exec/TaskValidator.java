package dev.kos.agent.exec;

import dev.kos.agent.model.HealthCheckSpec;
import dev.kos.agent.model.HealthProtocol;
import dev.kos.agent.model.TaskSpec;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.agent.container.core.BundleSpec;
import dev.kos.model.ContainerSpec;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** What makes a task unlaunchable whatever the agent's state: the reason goes into an ERROR status. */
public final class TaskValidator {
  private TaskValidator() {
  }

  public static Optional<String> problem(TaskSpec task) {
    Optional<String> commandProblem = task.inContainer() ? containerProblem(task)
        : task.command().runnable() ? Optional.empty()
        : Optional.of("invalid command: neither a shell command nor an argv was given");
    return commandProblem.or(() -> healthOrVolumeProblem(task));
  }

  private static Optional<String> healthOrVolumeProblem(TaskSpec task) {
    HealthCheckSpec check = task.healthCheck();
    int ports = task.resources().portList().size();
    if (check != null && check.protocol() != HealthProtocol.COMMAND && check.portIndex() >= ports) {
      return Optional.of("the " + check.protocol() + " health check uses port index " + check.portIndex()
          + " but the task has " + ports + " port(s)");
    }
    Set<String> paths = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (VolumeSpec volume : task.volumes()) {
      if (!paths.add(volume.containerPath())) {
        return Optional.of("two volumes share the container path " + volume.containerPath());
      }
      if (!ids.add(volume.persistenceId())) {
        return Optional.of("volume " + volume.persistenceId() + " is asked for twice");
      }
    }
    return Optional.empty();
  }

  /** What this agent cannot do with a container yet, or what no container could be run with. */
  private static Optional<String> containerProblem(TaskSpec task) {
    ContainerSpec container = task.container();
    HealthCheckSpec check = task.healthCheck();
    if (task.command().runnable()) {
      return Optional.of("the task runs in the image " + container.image() + ": say what runs there in its "
          + "container's entrypoint and args, not in its command");
    }
    if (task.command().user() != null) {
      return Optional.of("the task runs in the image " + container.image() + " as the image's user; a host user ("
          + task.command().user() + ") is for process tasks");
    }
    if (task.resources().memBytes() < BundleSpec.MIN_MEMORY_BYTES) {
      return Optional.of("a container's memory limit is at least 4 MiB, the task has "
          + TaskEnvironment.number(task.resources().memMb()) + " MiB");
    }
    if (!(task.resources().cpus() > 0)) {
      return Optional.of("a container's cpu limit is above 0, the task has "
          + TaskEnvironment.number(task.resources().cpus()) + " cpus");
    }
    if (check != null && check.protocol() != HealthProtocol.COMMAND && container.network() == ContainerSpec.Network.NONE) {
      return Optional.of("the container has no network (NONE), so its " + check.protocol()
          + " health check could not reach it");
    }
    return Optional.empty();
  }

}
