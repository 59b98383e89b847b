package dev.kos.cli.app;

import dev.kos.cli.results.Formats;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.schema.AppSpec;
import dev.kos.schema.AppState;
import dev.kos.schema.Constraint;
import dev.kos.schema.InstanceSnapshot;
import dev.kos.schema.PortDefinition;
import dev.kos.schema.ScalingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** How `kos app list` and `kos app show` write an app's state. Pure. */
final class AppView {

  static final String[] LIST_HEADER = {"ID", "INSTANCES", "HEALTHY", "VERSION", "DEPLOYMENT", "ROLE"};
  static final String[] INSTANCE_HEADER = {"INSTANCE", "TASK", "AGENT", "STATE", "HEALTHY", "VERSION", "PORTS"};

  private static final String RUNNING = "RUNNING";

  private AppView() {
  }

  static String[] listRow(AppState app) {
    return new String[] {app.getAppId(), running(app) + "/" + wanted(app), healthy(app), app.getVersion(),
        deployment(app), app.getSpec().getRole()};
  }

  static String[] instanceRow(InstanceSnapshot instance) {
    return new String[] {instance.getInstanceId(), Instance.taskId(instance.getInstanceId(), instance.getAttempt()),
        instance.getAgentId(), instance.getState(),
        instance.getHealthChecked() ? (instance.getHealthy() ? "yes" : "no") : "-", instance.getVersion(),
        ports(instance)};
  }

  /** Where the instance listens, {@code host:31000,31001}; {@code -} before it has ports (or has none). */
  static String ports(InstanceSnapshot instance) {
    return instance.getPorts().isEmpty() ? "-" : instance.getHostname() + ":"
        + String.join(",", instance.getPorts().stream().map(String::valueOf).toList());
  }

  /** The spec and the state in a few labelled lines; the unplaced reason is how a user learns why instances wait. */
  static List<String> summary(AppState app) {
    AppSpec spec = app.getSpec();
    List<String> lines = new ArrayList<>();
    lines.add(labelled("app", app.getAppId() + (app.getRemoved() ? " (removed: its instances are being killed)" : "")));
    lines.add(labelled("role", spec.getRole()));
    lines.add(labelled("command", spec.getCmd() != null ? spec.getCmd() : String.join(" ", spec.getArgv())));
    lines.add(labelled("resources", "cpus " + Formats.number(spec.getCpus()) + ", mem " + Formats.number(spec.getMem())
        + " MiB, disk " + Formats.number(spec.getDisk()) + " MiB" + ports(spec.getPorts())));
    lines.add(labelled("instances", running(app) + " running of " + wanted(app) + " wanted"
        + (spec.getHealthChecks().isEmpty() ? "" : ", " + healthy(app) + " healthy")));
    if (!spec.getConstraints().isEmpty()) {
      lines.add(labelled("constraints", spec.getConstraints().stream().map(AppView::constraint)
          .collect(Collectors.joining("; "))));
    }
    if (!spec.getVolumes().isEmpty()) {
      lines.add(labelled("volumes", spec.getVolumes().size() + " persistent (stateful app)"));
    }
    if (spec.getScaling() != null) {
      lines.add(labelled("autoscaling", scaling(spec.getScaling())));
    }
    lines.add(labelled("version", app.getVersion()));
    lines.add(labelled("deployment", app.getDeploymentId() == null ? "none in progress" : app.getDeploymentId()));
    if (app.getUnplaced() != null) {
      lines.add(labelled("unplaced", app.getUnplaced()));
    }
    return lines;
  }

  private static long running(AppState app) {
    return app.getInstances().stream().filter(i -> RUNNING.equals(i.getState())).count();
  }

  private static int wanted(AppState app) {
    return app.getRemoved() ? 0 : app.getSpec().getInstances();
  }

  /** Healthy of wanted, or a dash for an app without health checks: nothing says whether it is healthy. */
  private static String healthy(AppState app) {
    if (app.getSpec().getHealthChecks().isEmpty()) {
      return "-";
    }
    return app.getInstances().stream().filter(i -> i.getHealthChecked() && i.getHealthy()).count() + "/" + wanted(app);
  }

  private static String deployment(AppState app) {
    if (app.getRemoved()) {
      return "removing";
    }
    return Formats.orDash(app.getDeploymentId());
  }

  private static String constraint(Constraint c) {
    return c.getField() + " " + c.getOperator() + (c.getValue() == null ? "" : " " + c.getValue());
  }

  private static String ports(List<PortDefinition> ports) {
    return ports.isEmpty() ? "" : ", ports " + ports.stream()
        .map(p -> p.getName() + (p.getPort() == 0 ? "" : ":" + p.getPort())).collect(Collectors.joining(","));
  }

  private static String scaling(ScalingPolicy p) {
    return p.getMetric() + " at " + Formats.number(p.getTarget()) + " per instance, " + p.getMinInstances() + ".."
        + p.getMaxInstances() + " instances, " + p.getMode();
  }

  private static String labelled(String label, String value) {
    return String.format("%-13s%s", label + ":", value);
  }
}
