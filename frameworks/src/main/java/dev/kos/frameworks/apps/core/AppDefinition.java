package dev.kos.frameworks.apps.core;

import dev.kos.model.Artifact;
import dev.kos.model.ContainerSpec;
import dev.kos.model.HealthCheck;
import dev.kos.model.Resources;
import dev.kos.model.ScalingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A long-running app as its owner wants it (Marathon's app definition). Constructing one checks only
 * shape (no nulls); {@link AppValidator#violations} says everything else that is wrong, field by field.
 *
 * @param version the deployment that last changed what the instances run; a scale keeps it
 * @param scaling the autoscaling policy, if the app has one
 * @param container the OCI image its instances run in, if they run in one (else they are processes)
 * @param loadBalancer the service port balancers reach it on, if it has one
 * @param artifacts files each instance's agent fetches into its sandbox before it starts
 */
public record AppDefinition(String id, Optional<String> cmd, List<String> argv, int instances, double cpus,
    double mem, double disk, List<PortDefinition> ports, Map<String, String> env, List<HealthCheck> healthChecks,
    List<Constraint> constraints, UpgradeStrategy upgradeStrategy, List<VolumeTemplate> volumes, String role,
    Map<String, String> labels, String version, Optional<ScalingPolicy> scaling, Optional<ContainerSpec> container,
    Optional<ServicePort> loadBalancer, Optional<String> user, List<Artifact> artifacts) {

  public AppDefinition {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(cmd, "cmd");
    Objects.requireNonNull(container, "container");
    argv = List.copyOf(argv);
    ports = List.copyOf(ports);
    env = Map.copyOf(env);
    healthChecks = List.copyOf(healthChecks);
    constraints = List.copyOf(constraints);
    Objects.requireNonNull(upgradeStrategy, "upgradeStrategy");
    volumes = List.copyOf(volumes);
    Objects.requireNonNull(role, "role");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(scaling, "scaling");
    Objects.requireNonNull(loadBalancer, "loadBalancer");
    user = user.filter(name -> !name.isBlank());
    artifacts = List.copyOf(artifacts);
  }

  /** A stateful app: its instances keep volumes and are relaunched where those live. */
  /** The placement constraints in force: the app's own, and for a container app, an agent that runs containers. */
  public List<Constraint> placementConstraints() {
    if (container.isEmpty()) {
      return constraints;
    }
    List<Constraint> all = new ArrayList<>(constraints);
    all.add(new Constraint(ContainerSpec.RUNTIME_ATTRIBUTE, Constraint.Operator.CLUSTER, Optional.of(ContainerSpec.RUNC)));
    return List.copyOf(all);
  }

  public boolean isResident() {
    return !volumes.isEmpty();
  }

  /** What one instance takes from an offer: cpus, mem, and disk including its volumes. */
  public Resources resources() {
    return Resources.of(cpus, mem, disk + volumes.stream().mapToDouble(VolumeTemplate::sizeMb).sum());
  }

  public AppDefinition withInstances(int count) {
    return new AppDefinition(id, cmd, argv, count, cpus, mem, disk, ports, env, healthChecks, constraints,
        upgradeStrategy, volumes, role, labels, version, scaling, container, loadBalancer, user, artifacts);
  }

  public AppDefinition withVersion(String next) {
    return new AppDefinition(id, cmd, argv, instances, cpus, mem, disk, ports, env, healthChecks, constraints,
        upgradeStrategy, volumes, role, labels, next, scaling, container, loadBalancer, user, artifacts);
  }

  /** The same app under another scaling policy: what runs does not change, so neither does the version. */
  public AppDefinition withScaling(Optional<ScalingPolicy> policy) {
    return new AppDefinition(id, cmd, argv, instances, cpus, mem, disk, ports, env, healthChecks, constraints,
        upgradeStrategy, volumes, role, labels, version, policy, container, loadBalancer, user, artifacts);
  }
}
