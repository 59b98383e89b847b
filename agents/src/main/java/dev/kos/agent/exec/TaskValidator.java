package dev.kos.agent.exec;

import dev.kos.agent.model.HealthCheckSpec;
import dev.kos.agent.model.HealthProtocol;
import dev.kos.agent.model.TaskSpec;
import dev.kos.agent.model.VolumeSpec;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** What makes a task unlaunchable whatever the agent's state: the reason goes into an ERROR status. */
public final class TaskValidator {
  private TaskValidator() {
  }

  public static Optional<String> problem(TaskSpec task) {
    if (!task.command().runnable()) {
      return Optional.of("invalid command: neither a shell command nor an argv was given");
    }
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
}
