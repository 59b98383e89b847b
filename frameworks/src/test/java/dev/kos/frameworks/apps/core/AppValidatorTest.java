package dev.kos.frameworks.apps.core;

import static dev.kos.frameworks.apps.core.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.ContainerSpec;
import dev.kos.model.HealthCheck;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per validation error: a change to a valid app, and the reasons it must give, field first. */
class AppValidatorTest {

  private static final ContainerSpec IMAGE = ContainerSpec.of("oci:/images/web:1");

  record Row(String name, UnaryOperator<Apps> change, List<String> reasons) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("a valid app", a -> a, List.of()),
        new Row("a nested id with digits and dashes", a -> a.id("/team-a/web-2"), List.of()),
        new Row("id without leading slash", a -> a.id("web"),
            List.of("id: must start with / (like /team-a/web), was \"web\"")),
        new Row("id with an empty segment", a -> a.id("/team-a//web"),
            List.of("id: must not have empty segments, was \"/team-a//web\"")),
        new Row("id with a trailing slash", a -> a.id("/web/"),
            List.of("id: must not have empty segments, was \"/web/\"")),
        new Row("id with capitals", a -> a.id("/Web"),
            List.of("id: segment \"Web\" must be lowercase letters, digits and inner dashes, was \"/Web\"")),
        new Row("neither cmd nor argv", a -> a.cmd(null), List.of("cmd: give cmd or argv (one of them)")),
        new Row("both cmd and argv", a -> a.argv("serve"), List.of("cmd: give cmd or argv, not both")),
        new Row("a container app", a -> a.container(IMAGE), List.of()),
        new Row("a container app with a cmd", a -> a.container(IMAGE).cmd("./serve"),
            List.of("cmd: the app runs in the image oci:/images/web:1: say what runs there in container.entrypoint "
                + "and container.args, not in cmd or argv")),
        new Row("a container app with a volume", a -> a.container(IMAGE).volume("data", "data", 64).strategy(1, 0),
            List.of()),
        new Row("a process app as a host user", a -> a.user("nobody"), List.of()),
        new Row("artifacts", a -> a.artifacts(dev.kos.model.Artifact.of("http://repo/app.jar"),
            dev.kos.model.Artifact.of("http://repo/web.tgz").extracted()), List.of()),
        new Row("two artifacts that would be one file", a -> a.artifacts(dev.kos.model.Artifact.of("http://a/app.jar"),
            dev.kos.model.Artifact.of("http://b/app.jar")), List.of("artifacts: artifacts http://a/app.jar and "
            + "http://b/app.jar would both be app.jar in the sandbox; give one a destination")),
        new Row("a host user that is no name", a -> a.user("no body"),
            List.of("user: must be a host user's name (letters, digits, '_', '.', '-'), was \"no body\"")),
        new Row("a container app as a host user", a -> a.container(IMAGE).user("nobody"),
            List.of("user: a container app runs as its image's user; a host user is for process apps")),
        new Row("a container app under 4 MiB", a -> a.container(IMAGE).resources(0.1, 2, 0),
            List.of("mem: a container's memory limit is at least 4 MiB, was 2")),
        new Row("argv alone", a -> a.cmd(null).argv("serve", "--port", "80"), List.of()),
        new Row("negative instances", a -> a.instances(-1),
            List.of("instances: must be between 0 and 10000, was -1")),
        new Row("absurd instances", a -> a.instances(10_001),
            List.of("instances: must be between 0 and 10000, was 10001")),
        new Row("zero instances", a -> a.instances(0), List.of()),
        new Row("zero cpus", a -> a.resources(0, 128, 0),
            List.of("cpus: must be more than 0 and at most 1024 cores, was 0")),
        new Row("NaN cpus", a -> a.resources(Double.NaN, 128, 0),
            List.of("cpus: must be more than 0 and at most 1024 cores, was NaN")),
        new Row("absurd cpus", a -> a.resources(2048, 128, 0),
            List.of("cpus: must be more than 0 and at most 1024 cores, was 2048")),
        new Row("negative mem", a -> a.resources(1, -1, 0),
            List.of("mem: must be more than 0 and at most 16777216 MiB, was -1")),
        new Row("more than 16 TiB mem", a -> a.resources(1, 16.0 * 1024 * 1024 + 1, 0),
            List.of("mem: must be more than 0 and at most 16777216 MiB, was 16777217")),
        new Row("negative disk", a -> a.resources(1, 128, -5),
            List.of("disk: must be at least 0 and at most 1073741824 MiB, was -5")),
        new Row("a port out of range", a -> a.port("http", 70000),
            List.of("ports[0].port: must be between 0 (any) and 65535, was 70000")),
        new Row("two ports with one name", a -> a.port("http", 0).port("http", 0),
            List.of("ports[1].name: \"http\" is used twice")),
        new Row("one fixed port twice", a -> a.port("a", 8080).port("b", 8080),
            List.of("ports[1].port: 8080 is used twice")),
        new Row("a bad port name", a -> a.port("my port", 0),
            List.of("ports[0].name: must be a name like http ([A-Za-z_][A-Za-z0-9_]*), was \"my port\"")),
        new Row("a bad env name", a -> a.env("A-B", "1"),
            List.of("env: \"A-B\" is not a variable name ([A-Za-z_][A-Za-z0-9_]*)")),
        new Row("an HTTP check without ports", a -> a.httpHealthCheck(),
            List.of("healthChecks[0].portIndex: must index one of the app's 0 ports, was 0")),
        new Row("a COMMAND check without a command", a -> a.healthCheck(new HealthCheck(HealthCheck.Protocol.COMMAND,
            Optional.empty(), Optional.empty(), 0, 0, 5, 1, 3)),
            List.of("healthChecks[0].command: a COMMAND check needs a command")),
        new Row("a check with no interval and no failures allowed", a -> a.port("http", 0)
            .healthCheck(new HealthCheck(HealthCheck.Protocol.TCP, Optional.empty(), Optional.empty(), 0,
                0, 0, 1, 0)),
            List.of("healthChecks[0].intervalSeconds: must be more than 0, was 0",
                "healthChecks[0].maxConsecutiveFailures: must be at least 1, was 0")),
        new Row("UNIQUE with a value", a -> a.constraint("hostname", Constraint.Operator.UNIQUE, "x"),
            List.of("constraints[0].value: UNIQUE takes no value, was \"x\"")),
        new Row("MAX_PER without a number", a -> a.constraint("rack", Constraint.Operator.MAX_PER),
            List.of("constraints[0].value: MAX_PER needs a number of instances of at least 1, was none")),
        new Row("MAX_PER with zero", a -> a.constraint("rack", Constraint.Operator.MAX_PER, "0"),
            List.of("constraints[0].value: MAX_PER needs a number of instances of at least 1, was \"0\"")),
        new Row("GROUP_BY with a word", a -> a.constraint("rack", Constraint.Operator.GROUP_BY, "many"),
            List.of("constraints[0].value: GROUP_BY takes a number of groups of at least 1, was \"many\"")),
        new Row("LIKE without a pattern", a -> a.constraint("rack", Constraint.Operator.LIKE),
            List.of("constraints[0].value: LIKE needs a regular expression")),
        new Row("UNLIKE with a broken pattern", a -> a.constraint("rack", Constraint.Operator.UNLIKE, "r[1"),
            List.of("constraints[0].value: \"r[1\" is not a regular expression: Unclosed character class")),
        new Row("a constraint without a field", a -> a.constraint(" ", Constraint.Operator.UNIQUE),
            List.of("constraints[0].field: must name hostname or an agent attribute")),
        new Row("minimumHealthCapacity above 1", a -> a.strategy(1.5, 0.5),
            List.of("upgradeStrategy.minimumHealthCapacity: must be between 0 and 1, was 1.5")),
        new Row("negative maximumOverCapacity", a -> a.strategy(0.5, -0.1),
            List.of("upgradeStrategy.maximumOverCapacity: must be between 0 and 1, was -0.1")),
        new Row("a stateful app that would run over capacity", a -> a.volume("data", "data", 100).strategy(0.5, 1),
            List.of("upgradeStrategy.maximumOverCapacity: must be 0 for an app with volumes (a new version reuses "
                + "the old instance's volume, so it replaces it in place), was 1")),
        new Row("a stateful app", a -> a.volume("data", "data", 100).strategy(0.5, 0), List.of()),
        new Row("a volume with an absolute path and no size", a -> a.volume("data", "/var/data", 0).strategy(1, 0),
            List.of("volumes[0].containerPath: must be a distinct relative path inside the sandbox, was \"/var/data\"",
                "volumes[0].sizeMb: must be more than 0 and at most 1073741824 MiB, was 0")),
        new Row("a volume named with a dash", a -> a.volume("db-data", "data", 16).strategy(1, 0),
            List.of("volumes[0].persistenceId: must be letters, digits and _ (not starting with a digit), like "
                + "db_data, was \"db-data\"")),
        new Row("two volumes of one name", a -> a.volume("data", "a", 16).volume("data", "b", 16).strategy(1, 0),
            List.of("volumes[1].persistenceId: must differ from the app's other volumes, was \"data\" twice")),
        new Row("an empty role", a -> a.role(""), List.of("role: must not be empty (\"*\" is the default role)")),
        new Row("an empty version", a -> a.version(" "), List.of("version: must not be empty")),
        new Row("a service port", a -> a.port("http", 0).loadBalancer(10080, "http", ""), List.of()),
        new Row("a service port on a named port", a -> a.port("admin", 0).port("http", 0)
            .loadBalancer(10080, "http", "http"), List.of()),
        new Row("a service port out of range", a -> a.port("http", 0).loadBalancer(70000, "http", ""),
            List.of("loadBalancer.port: must be between 1 and 65535, was 70000")),
        new Row("a service port for tcp", a -> a.port("db", 0).loadBalancer(15432, "tcp", ""), List.of()),
        new Row("a service port for an unknown protocol", a -> a.port("http", 0).loadBalancer(10080, "udp", ""),
            List.of("loadBalancer.protocol: must be \"http\" or \"tcp\" (the protocols kos lb proxies), was \"udp\"")),
        new Row("a service port for HTTP in capitals", a -> a.port("http", 0).loadBalancer(10080, "HTTP", ""),
            List.of("loadBalancer.protocol: must be \"http\" or \"tcp\" (the protocols kos lb proxies), was \"HTTP\"")),
        new Row("a service port without app ports", a -> a.loadBalancer(10080, "http", ""),
            List.of("loadBalancer: the app defines no port for the balancer to send traffic to; add one to ports "
                + "(e.g. {\"name\": \"http\"})")),
        new Row("a service port on an unknown port", a -> a.port("http", 0).loadBalancer(10080, "http", "grpc"),
            List.of("loadBalancer.portName: \"grpc\" is not one of the app's ports [http]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldNameTheFieldOfEachViolation(Row row) {
    List<Violation> violations = AppValidator.violations(row.change().apply(app("/web")).build());

    assertThat(violations).map(Violation::reason).containsExactlyElementsOf(row.reasons());
  }

  @Test
  void shouldReportEveryViolationAtOnce() {
    AppDefinition app = app("web").cmd(null).instances(-1).resources(0, 0, -1).build();

    assertThat(AppValidator.violations(app)).map(Violation::field)
        .containsExactly("id", "cmd", "instances", "cpus", "mem", "disk");
  }
}
