package dev.kos.agent.testing;

import dev.kos.agent.model.CommandSpec;
import dev.kos.agent.model.HealthCheckSpec;
import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.model.TaskSpec;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.model.ContainerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A fluent fixture for tasks: small resources, a trivial command, unless a test says otherwise. */
public final class TaskBuilder {
  private final String taskId;
  private String shell = "true";
  private String user;
  private final List<dev.kos.model.Artifact> artifacts = new java.util.ArrayList<>();
  private List<String> argv = List.of();
  private double cpus = 0.1;
  private double memMb = 64;
  private final List<PortRange> ports = new ArrayList<>();
  private final List<String> portNames = new ArrayList<>();
  private final List<VolumeSpec> volumes = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private HealthCheckSpec healthCheck;
  private ContainerSpec container;

  private TaskBuilder(String taskId) {
    this.taskId = taskId;
  }

  public static TaskBuilder task(String taskId) {
    return new TaskBuilder(taskId);
  }

  public TaskBuilder shell(String command) {
    shell = command;
    argv = List.of();
    return this;
  }

  public TaskBuilder argv(String... command) {
    shell = null;
    argv = List.of(command);
    return this;
  }

  public TaskBuilder noCommand() {
    shell = null;
    argv = List.of();
    return this;
  }

  public TaskBuilder cpus(double value) {
    cpus = value;
    return this;
  }

  public TaskBuilder memMb(double value) {
    memMb = value;
    return this;
  }

  public TaskBuilder port(int port, String name) {
    ports.add(new PortRange(port, port));
    portNames.add(name);
    return this;
  }

  /** A file fetched into the task's sandbox before it starts. */
  public TaskBuilder artifact(dev.kos.model.Artifact artifact) {
    artifacts.add(artifact);
    return this;
  }

  /** The host user the task runs as. */
  public TaskBuilder user(String name) {
    this.user = name;
    return this;
  }

  public TaskBuilder env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public TaskBuilder volume(String persistenceId, String role, String containerPath) {
    volumes.add(new VolumeSpec(persistenceId, role, 0, containerPath));
    return this;
  }

  public TaskBuilder healthCheck(HealthCheckSpec spec) {
    healthCheck = spec;
    return this;
  }

  /** Runs the task in {@code spec}'s image; what it runs comes from there, not from a shell line. */
  public TaskBuilder container(ContainerSpec spec) {
    container = spec;
    return noCommand();
  }

  public TaskSpec build() {
    return new TaskSpec(taskId, "name-" + taskId, "fw-1", "app-1", new CommandSpec(shell, argv, env, user, artifacts),
        new ResourceSet(cpus, memMb, 0, ports), portNames, volumes, healthCheck, Map.of(), container);
  }
}
