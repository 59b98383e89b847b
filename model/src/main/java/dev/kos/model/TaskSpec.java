package dev.kos.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A task a framework asks to launch.
 *
 * @param resources what the task needs but ports (a set of ports has no order, and the order matters)
 * @param ports     the exact ports the task is given from the offer, in order
 * @param portNames names for those ports, in the same order (the task sees them as {@code PORT_<NAME>})
 * @param volumes   persistent volumes the task uses
 * @param container the image the task runs in; without one, the task is a plain process running {@code command}.
 *                  A container task says what runs in its container (or keeps its image's), so its command names
 *                  no shell line or argv, only environment
 */
public record TaskSpec(String taskId, String name, String frameworkId, Optional<String> appId, CommandSpec command,
    Resources resources, List<Integer> ports, List<String> portNames, List<Volume> volumes, Optional<HealthCheck> healthCheck,
    Map<String, String> labels, Optional<ContainerSpec> container) {

  public TaskSpec {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(frameworkId, "frameworkId");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(resources, "resources");
    if (!resources.ports().isEmpty()) {
      throw new IllegalArgumentException("task " + taskId + ": give its ports in order in ports, not in resources");
    }
    ports = List.copyOf(ports);
    portNames = List.copyOf(portNames);
    volumes = List.copyOf(volumes);
    labels = Map.copyOf(labels);
    Objects.requireNonNull(container, "container");
    if (container.isPresent() && (command.shell().isPresent() || !command.argv().isEmpty())) {
      throw new IllegalArgumentException("task " + taskId + " runs in the image " + container.get().image()
          + ": say what runs there in its container's entrypoint and args, not in its command");
    }
  }

  /** A plain process task (no container). */
  public TaskSpec(String taskId, String name, String frameworkId, Optional<String> appId, CommandSpec command,
      Resources resources, List<Integer> ports, List<String> portNames, List<Volume> volumes,
      Optional<HealthCheck> healthCheck, Map<String, String> labels) {
    this(taskId, name, frameworkId, appId, command, resources, ports, portNames, volumes, healthCheck, labels,
        Optional.empty());
  }

  /** This task, run in {@code newContainer}'s image. */
  public TaskSpec inContainer(ContainerSpec newContainer) {
    return new TaskSpec(taskId, name, frameworkId, appId, command, resources, ports, portNames, volumes, healthCheck,
        labels, Optional.of(newContainer));
  }

  /** A task that runs a command with these resources, and nothing else. */
  public static TaskSpec of(String taskId, String name, String frameworkId, CommandSpec command,
      Resources resources) {
    return new TaskSpec(taskId, name, frameworkId, Optional.empty(), command, resources, List.of(), List.of(),
        List.of(), Optional.empty(), Map.of());
  }
}
