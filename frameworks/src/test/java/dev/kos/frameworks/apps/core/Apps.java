package dev.kos.frameworks.apps.core;

import dev.kos.model.ContainerSpec;
import dev.kos.model.HealthCheck;
import dev.kos.model.ScaleMode;
import dev.kos.model.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fluent builder of app definitions for tests: a valid small app unless told otherwise. */
final class Apps {

  private String id;
  private Optional<String> cmd = Optional.of("./serve");
  private List<String> argv = List.of();
  private int instances = 1;
  private double cpus = 1;
  private double mem = 128;
  private double disk = 0;
  private final List<PortDefinition> ports = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<HealthCheck> healthChecks = new ArrayList<>();
  private final List<Constraint> constraints = new ArrayList<>();
  private UpgradeStrategy strategy = UpgradeStrategy.DEFAULT;
  private final List<VolumeTemplate> volumes = new ArrayList<>();
  private String role = "web";
  private String version = "v1";
  private Optional<ScalingPolicy> scaling = Optional.empty();
  private Optional<ContainerSpec> container = Optional.empty();
  private Optional<ServicePort> loadBalancer = Optional.empty();
  private Optional<String> user = Optional.empty();
  private List<dev.kos.model.Artifact> artifacts = List.of();

  private Apps(String id) {
    this.id = id;
  }

  static Apps app(String id) {
    return new Apps(id);
  }

  Apps id(String value) {
    id = value;
    return this;
  }

  Apps cmd(String value) {
    cmd = Optional.ofNullable(value);
    return this;
  }

  Apps argv(String... values) {
    argv = List.of(values);
    return this;
  }

  Apps instances(int value) {
    instances = value;
    return this;
  }

  Apps resources(double cpusValue, double memValue, double diskValue) {
    cpus = cpusValue;
    mem = memValue;
    disk = diskValue;
    return this;
  }

  Apps port(String name, int port) {
    ports.add(new PortDefinition(name, port));
    return this;
  }

  Apps env(String key, String value) {
    env.put(key, value);
    return this;
  }

  Apps healthCheck(HealthCheck check) {
    healthChecks.add(check);
    return this;
  }

  Apps httpHealthCheck() {
    return healthCheck(new HealthCheck(HealthCheck.Protocol.HTTP, Optional.empty(), Optional.of("/health"), 0,
        10, 5, 2, 3));
  }

  Apps constraint(String field, Constraint.Operator operator) {
    constraints.add(Constraint.of(field, operator));
    return this;
  }

  Apps constraint(String field, Constraint.Operator operator, String value) {
    constraints.add(Constraint.of(field, operator, value));
    return this;
  }

  Apps strategy(double minimumHealthCapacity, double maximumOverCapacity) {
    strategy = new UpgradeStrategy(minimumHealthCapacity, maximumOverCapacity);
    return this;
  }

  Apps volume(String name, String containerPath, double sizeMb) {
    volumes.add(new VolumeTemplate(name, containerPath, sizeMb));
    return this;
  }

  Apps role(String value) {
    role = value;
    return this;
  }

  Apps scaling(ScalingPolicy value) {
    scaling = Optional.of(value);
    return this;
  }

  /** Target tracking on requestsPerSecond: 100 per instance, 1 to 10 instances, advisory. */
  static ScalingPolicy rpsPolicy() {
    return new ScalingPolicy("requestsPerSecond", 100, 1, 10, 0.1, 4, 1, Duration.ofSeconds(60), Duration.ZERO,
        Duration.ofSeconds(300), ScaleMode.ADVISORY);
  }

  /** Runs in {@code image} instead of a command: cmd and argv are cleared. */
  Apps loadBalancer(int port, String protocol, String portName) {
    loadBalancer = Optional.of(new ServicePort(port, protocol, portName));
    return this;
  }

  Apps container(ContainerSpec image) {
    container = Optional.of(image);
    cmd = Optional.empty();
    argv = List.of();
    return this;
  }

  Apps version(String value) {
    version = value;
    return this;
  }

  Apps artifacts(dev.kos.model.Artifact... files) {
    artifacts = List.of(files);
    return this;
  }

  Apps user(String name) {
    user = Optional.of(name);
    return this;
  }

  AppDefinition build() {
    return new AppDefinition(id, cmd, argv, instances, cpus, mem, disk, ports, env, healthChecks, constraints,
        strategy, volumes, role, Map.of(), version, scaling, container, loadBalancer, user, artifacts);
  }
}
