package dev.kos.agent.model;

import dev.kos.model.ContainerSpec;
import java.util.List;
import java.util.Map;

/**
 * A task the agent runs: the agent-side copy of {@code dev.kos.schema.TaskInfo}.
 * {@code appId}, {@code healthCheck} and {@code container} may be null; without a container the
 * task is a process running {@code command}. The assigned ports are the ports of
 * {@code resources}, in order; {@code portNames} names them.
 */
public record TaskSpec(
    String taskId,
    String name,
    String frameworkId,
    String appId,
    CommandSpec command,
    ResourceSet resources,
    List<String> portNames,
    List<VolumeSpec> volumes,
    HealthCheckSpec healthCheck,
    Map<String, String> labels,
    ContainerSpec container) {

  public TaskSpec {
    // Task ids name the sandbox and checkpoint files, so they must not be able to escape them.
    if (taskId == null || taskId.isBlank() || taskId.contains("/") || taskId.contains("\0")
        || taskId.equals(".") || taskId.equals("..")) {
      throw new IllegalArgumentException("invalid task id '" + taskId + "': must be non-blank, without '/'");
    }
    portNames = List.copyOf(portNames);
    volumes = List.copyOf(volumes);
    labels = Map.copyOf(labels);
  }

  /** A process task (no container). */
  public TaskSpec(String taskId, String name, String frameworkId, String appId, CommandSpec command,
      ResourceSet resources, List<String> portNames, List<VolumeSpec> volumes, HealthCheckSpec healthCheck,
      Map<String, String> labels) {
    this(taskId, name, frameworkId, appId, command, resources, portNames, volumes, healthCheck, labels, null);
  }

  public boolean inContainer() {
    return container != null;
  }
}
