package dev.kos.frameworks.apps.core;

import dev.kos.model.HealthCheck;
import dev.kos.model.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Everything wrong with an app definition, one {@link Violation} per problem, each naming its field. */
public final class AppValidator {

  public static final int MAX_INSTANCES = 10_000;
  public static final double MAX_CPUS = 1024;
  public static final double MAX_MEM_MB = 16.0 * 1024 * 1024;
  public static final double MAX_DISK_MB = 1024.0 * 1024 * 1024;

  private static final Pattern SEGMENT = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");

  private AppValidator() {
  }

  public static List<Violation> violations(AppDefinition app) {
    List<Violation> out = new ArrayList<>();
    checkId(app.id()).ifPresent(out::add);
    checkCommand(app, out);
    if (app.instances() < 0 || app.instances() > MAX_INSTANCES) {
      out.add(new Violation("instances", "must be between 0 and " + MAX_INSTANCES + ", was " + app.instances()));
    }
    checkScalar(out, "cpus", app.cpus(), false, MAX_CPUS, "cores");
    checkScalar(out, "mem", app.mem(), false, MAX_MEM_MB, "MiB");
    checkScalar(out, "disk", app.disk(), true, MAX_DISK_MB, "MiB");
    checkPorts(app.ports(), out);
    app.loadBalancer().ifPresent(lb -> checkServicePort(lb, app.ports(), out));
    app.env().keySet().stream().filter(key -> !NAME.matcher(key).matches()).sorted()
        .forEach(key -> out.add(new Violation("env", "\"" + key
            + "\" is not a variable name ([A-Za-z_][A-Za-z0-9_]*)")));
    for (int i = 0; i < app.healthChecks().size(); i++) {
      checkHealthCheck("healthChecks[" + i + "]", app.healthChecks().get(i), app.ports().size(), out);
    }
    for (int i = 0; i < app.constraints().size(); i++) {
      checkConstraint("constraints[" + i + "]", app.constraints().get(i), out);
    }
    checkUpgradeStrategy(app, out);
    checkVolumes(app.volumes(), out);
    app.scaling().ifPresent(policy -> checkScaling(policy, out));
    if (app.role().isBlank()) {
      out.add(new Violation("role", "must not be empty (\"*\" is the default role)"));
    }
    if (app.version().isBlank()) {
      out.add(new Violation("version", "must not be empty"));
    }
    return List.copyOf(out);
  }

  /** Why {@code id} is not a path-like app id such as {@code /team-a/web}, if it is not. */
  private static Optional<Violation> checkId(String id) {
    if (!id.startsWith("/")) {
      return Optional.of(new Violation("id", "must start with / (like /team-a/web), was \"" + id + "\""));
    }
    String[] segments = id.substring(1).split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty()) {
        return Optional.of(new Violation("id", "must not have empty segments, was \"" + id + "\""));
      }
      if (!SEGMENT.matcher(segment).matches()) {
        return Optional.of(new Violation("id", "segment \"" + segment
            + "\" must be lowercase letters, digits and inner dashes, was \"" + id + "\""));
      }
    }
    return Optional.empty();
  }

  private static void checkCommand(AppDefinition app, List<Violation> out) {
    boolean hasCmd = app.cmd().filter(cmd -> !cmd.isBlank()).isPresent();
    app.user().ifPresent(user -> {
      if (!USER.matcher(user).matches()) {
        out.add(new Violation("user", "must be a host user's name (letters, digits, '_', '.', '-'), was \"" + user
            + "\""));
      } else if (app.container().isPresent()) {
        out.add(new Violation("user", "a container app runs as its image's user; a host user is for process apps"));
      }
    });
    dev.kos.model.Artifact.clash(app.artifacts()).ifPresent(clash -> out.add(new Violation("artifacts", clash)));
    if (app.container().isPresent()) {
      checkContainer(app, hasCmd, out);
      return;
    }
    if (hasCmd == !app.argv().isEmpty()) {
      out.add(new Violation("cmd", hasCmd ? "give cmd or argv, not both" : "give cmd or argv (one of them)"));
    }
  }

  /** What a container app cannot ask for (yet): the agents refuse the same, later and per task. */
  private static void checkContainer(AppDefinition app, boolean hasCmd, List<Violation> out) {
    String image = app.container().orElseThrow().image();
    if (hasCmd || !app.argv().isEmpty()) {
      out.add(new Violation("cmd", "the app runs in the image " + image + ": say what runs there in "
          + "container.entrypoint and container.args, not in cmd or argv"));
    }
    if (app.mem() < 4) {
      out.add(new Violation("mem", "a container's memory limit is at least 4 MiB, was " + format(app.mem())));
    }
  }

  private static void checkScalar(List<Violation> out, String field, double value, boolean zeroAllowed,
      double max, String unit) {
    boolean low = zeroAllowed ? !(value >= 0) : !(value > 0);
    if (low || value > max) {
      out.add(new Violation(field, "must be " + (zeroAllowed ? "at least 0" : "more than 0") + " and at most "
          + format(max) + " " + unit + ", was " + format(value)));
    }
  }

  private static void checkPorts(List<PortDefinition> ports, List<Violation> out) {
    Set<String> names = new HashSet<>();
    Set<Integer> fixed = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      PortDefinition port = ports.get(i);
      String field = "ports[" + i + "]";
      if (!NAME.matcher(port.name()).matches()) {
        out.add(new Violation(field + ".name", "must be a name like http ([A-Za-z_][A-Za-z0-9_]*), was \""
            + port.name() + "\""));
      } else if (!names.add(port.name())) {
        out.add(new Violation(field + ".name", "\"" + port.name() + "\" is used twice"));
      }
      if (port.port() < 0 || port.port() > 65535) {
        out.add(new Violation(field + ".port", "must be between 0 (any) and 65535, was " + port.port()));
      } else if (!port.isDynamic() && !fixed.add(port.port())) {
        out.add(new Violation(field + ".port", port.port() + " is used twice"));
      }
    }
  }

  private static void checkServicePort(ServicePort lb, List<PortDefinition> ports, List<Violation> out) {
    if (lb.port() < 1 || lb.port() > 65535) {
      out.add(new Violation("loadBalancer.port", "must be between 1 and 65535, was " + lb.port()));
    }
    if (!ServicePort.PROTOCOLS.contains(lb.protocol())) {
      out.add(new Violation("loadBalancer.protocol", "must be \"http\" or \"tcp\" (the protocols kos lb proxies), "
          + "was \"" + lb.protocol() + "\""));
    }
    if (ports.isEmpty()) {
      out.add(new Violation("loadBalancer", "the app defines no port for the balancer to send traffic to; add one "
          + "to ports (e.g. {\"name\": \"http\"})"));
    } else if (!lb.portName().isEmpty() && ports.stream().noneMatch(p -> lb.portName().equals(p.name()))) {
      out.add(new Violation("loadBalancer.portName", "\"" + lb.portName() + "\" is not one of the app's ports "
          + ports.stream().map(PortDefinition::name).toList()));
    }
  }

  /**
   * Why {@code app}'s service port cannot be had, if another app has it: every balancer listens on a service port
   * for one app, so two apps asking for it would each get it on some balancers.
   */
  public static Optional<String> servicePortClash(Map<String, AppDefinition> apps, AppDefinition app) {
    if (app.loadBalancer().isEmpty()) {
      return Optional.empty();
    }
    int port = app.loadBalancer().get().port();
    return apps.values().stream()
        .filter(other -> !other.id().equals(app.id()))
        .filter(other -> other.loadBalancer().filter(lb -> lb.port() == port).isPresent())
        .map(AppDefinition::id).sorted().findFirst()
        .map(other -> "loadBalancer.port " + port + " is the service port of app " + other
            + "; choose another (each service port reaches one app)");
  }

  private static void checkHealthCheck(String field, HealthCheck check, int portCount, List<Violation> out) {
    switch (check.protocol()) {
      case COMMAND -> {
        if (check.command().filter(command -> !command.isBlank()).isEmpty()) {
          out.add(new Violation(field + ".command", "a COMMAND check needs a command"));
        }
      }
      case HTTP, TCP -> {
        if (check.portIndex() < 0 || check.portIndex() >= portCount) {
          out.add(new Violation(field + ".portIndex", "must index one of the app's " + portCount + " ports, was "
              + check.portIndex()));
        }
      }
    }
    if (check.intervalSeconds() <= 0) {
      out.add(new Violation(field + ".intervalSeconds", "must be more than 0, was " + check.intervalSeconds()));
    }
    if (check.timeoutSeconds() <= 0) {
      out.add(new Violation(field + ".timeoutSeconds", "must be more than 0, was " + check.timeoutSeconds()));
    }
    if (check.gracePeriodSeconds() < 0) {
      out.add(new Violation(field + ".gracePeriodSeconds", "must be at least 0, was "
          + check.gracePeriodSeconds()));
    }
    if (check.maxConsecutiveFailures() < 1) {
      out.add(new Violation(field + ".maxConsecutiveFailures", "must be at least 1, was "
          + check.maxConsecutiveFailures()));
    }
  }

  private static void checkConstraint(String field, Constraint constraint, List<Violation> out) {
    if (constraint.field().isBlank()) {
      out.add(new Violation(field + ".field", "must name hostname or an agent attribute"));
    }
    String value = constraint.value().orElse(null);
    switch (constraint.operator()) {
      case UNIQUE -> {
        if (value != null) {
          out.add(new Violation(field + ".value", "UNIQUE takes no value, was \"" + value + "\""));
        }
      }
      case CLUSTER -> {
        if (value != null && value.isBlank()) {
          out.add(new Violation(field + ".value", "CLUSTER takes a value to pin to, or none to pin to the first used"));
        }
      }
      case GROUP_BY -> {
        if (value != null && positive(value) < 1) {
          out.add(new Violation(field + ".value", "GROUP_BY takes a number of groups of at least 1, was \""
              + value + "\""));
        }
      }
      case MAX_PER -> {
        if (value == null || positive(value) < 1) {
          out.add(new Violation(field + ".value", "MAX_PER needs a number of instances of at least 1, was "
              + (value == null ? "none" : "\"" + value + "\"")));
        }
      }
      case LIKE, UNLIKE -> checkRegex(field, constraint, value, out);
    }
  }

  private static void checkRegex(String field, Constraint constraint, String value, List<Violation> out) {
    if (value == null) {
      out.add(new Violation(field + ".value", constraint.operator() + " needs a regular expression"));
      return;
    }
    try {
      Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      out.add(new Violation(field + ".value", "\"" + value + "\" is not a regular expression: "
          + e.getDescription()));
    }
  }

  private static void checkUpgradeStrategy(AppDefinition app, List<Violation> out) {
    UpgradeStrategy strategy = app.upgradeStrategy();
    if (!(strategy.minimumHealthCapacity() >= 0 && strategy.minimumHealthCapacity() <= 1)) {
      out.add(new Violation("upgradeStrategy.minimumHealthCapacity", "must be between 0 and 1, was "
          + format(strategy.minimumHealthCapacity())));
    }
    if (!(strategy.maximumOverCapacity() >= 0 && strategy.maximumOverCapacity() <= 1)) {
      out.add(new Violation("upgradeStrategy.maximumOverCapacity", "must be between 0 and 1, was "
          + format(strategy.maximumOverCapacity())));
    } else if (app.isResident() && strategy.maximumOverCapacity() != 0) {
      out.add(new Violation("upgradeStrategy.maximumOverCapacity", "must be 0 for an app with volumes (a new "
          + "version reuses the old instance's volume, so it replaces it in place), was "
          + format(strategy.maximumOverCapacity())));
    }
  }

  private static void checkVolumes(List<VolumeTemplate> volumes, List<Violation> out) {
    Set<String> names = new HashSet<>();
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < volumes.size(); i++) {
      VolumeTemplate volume = volumes.get(i);
      String field = "volumes[" + i + "]";
      if (!NAME.matcher(volume.name()).matches()) {
        out.add(new Violation(field + ".persistenceId", "must be letters, digits and _ (not starting with a digit),"
            + " like db_data, was \"" + volume.name() + "\""));
      } else if (!names.add(volume.name())) {
        out.add(new Violation(field + ".persistenceId", "must differ from the app's other volumes, was \""
            + volume.name() + "\" twice"));
      }
      if (volume.containerPath().isBlank() || volume.containerPath().startsWith("/")
          || volume.containerPath().contains("..") || !paths.add(volume.containerPath())) {
        out.add(new Violation(field + ".containerPath", "must be a distinct relative path inside the sandbox, was \""
            + volume.containerPath() + "\""));
      }
      if (!(volume.sizeMb() > 0) || volume.sizeMb() > MAX_DISK_MB) {
        out.add(new Violation(field + ".sizeMb", "must be more than 0 and at most " + format(MAX_DISK_MB)
            + " MiB, was " + format(volume.sizeMb())));
      }
    }
  }

  private static int positive(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String format(double value) {
    return value == Math.rint(value) && !Double.isInfinite(value) ? String.valueOf((long) value)
        : String.valueOf(value);
  }

  /** A policy the autoscaler can follow: a metric, a positive target, sane bounds, steps and windows. */
  private static void checkScaling(ScalingPolicy policy, List<Violation> out) {
    if (policy.metric().isBlank()) {
      out.add(new Violation("scaling.metric",
          "must name a gauge the app reports on kos.metrics, e.g. requestsPerSecond"));
    }
    if (!(policy.target() > 0) || Double.isInfinite(policy.target())) {
      out.add(new Violation("scaling.target", "must be a positive number, was " + policy.target()));
    }
    if (policy.minInstances() < 0 || policy.minInstances() > MAX_INSTANCES) {
      out.add(new Violation("scaling.minInstances", "must be between 0 and " + MAX_INSTANCES + ", was "
          + policy.minInstances()));
    }
    if (policy.maxInstances() < Math.max(1, policy.minInstances()) || policy.maxInstances() > MAX_INSTANCES) {
      out.add(new Violation("scaling.maxInstances", "must be at least minInstances (and 1) and at most "
          + MAX_INSTANCES + ", was " + policy.maxInstances()));
    }
    if (!(policy.tolerance() >= 0 && policy.tolerance() < 1)) {
      out.add(new Violation("scaling.tolerance", "must be in [0, 1), was " + policy.tolerance()));
    }
    if (policy.maxStepUp() < 1) {
      out.add(new Violation("scaling.maxStepUp", "must be at least 1, was " + policy.maxStepUp()));
    }
    if (policy.maxStepDown() < 1) {
      out.add(new Violation("scaling.maxStepDown", "must be at least 1, was " + policy.maxStepDown()));
    }
    checkWindow("scaling.cooldownSeconds", policy.cooldown(), out);
    checkWindow("scaling.scaleUpStabilizationSeconds", policy.upWindow(), out);
    checkWindow("scaling.scaleDownStabilizationSeconds", policy.downWindow(), out);
  }

  private static void checkWindow(String field, Duration window, List<Violation> out) {
    if (window.isNegative() || window.compareTo(Duration.ofDays(1)) > 0) {
      out.add(new Violation(field, "must be between 0 and 86400 seconds, was " + window.toSeconds()));
    }
  }
}
