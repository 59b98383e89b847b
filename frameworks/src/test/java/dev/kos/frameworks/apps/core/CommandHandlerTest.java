package dev.kos.frameworks.apps.core;

import static dev.kos.frameworks.apps.core.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.ScaleMode;
import dev.kos.model.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per command outcome: who sends what, and either the changed app as
 * {@code id instances=N version=V} (or {@code removed id}), or the rejection's reason.
 */
class CommandHandlerTest {

  record Row(String name, String principal, AppCommand command, String outcome) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final AppDefinition WEB = app("/team-a/web").instances(3).role("web").version("v0").build();
  private static final AppDefinition ETL = app("/team-b/etl").role("batch").version("v0").port("http", 0)
      .loadBalancer(10080, "http", "").build();
  private static final Instance RUNNING = new Instance("team-a_web.p1-0", "/team-a/web", "v0", Agent.of("a1"), 0,
      InstanceState.RUNNING, false, true, Instant.EPOCH, 0, Optional.empty(), Optional.empty(), List.of());
  private static final Instance FAILED = new Instance("team-a_web.p1-1", "/team-a/web", "v0", Agent.of("a1"), 2,
      InstanceState.FAILED, false, false, Instant.EPOCH, 1, Optional.of(Instant.EPOCH), Optional.empty(), List.of());

  static Stream<Row> rows() {
    return Stream.of(
        new Row("deploy a new app", "alice", new AppCommand.Deploy(app("/team-a/api").role("web").build()),
            "/team-a/api instances=1 version=c1"),
        new Row("deploy an app on another app's service port", "alice", new AppCommand.Deploy(app("/team-a/api")
            .role("web").port("http", 0).loadBalancer(10080, "http", "").build()),
            "app /team-a/api is invalid: loadBalancer.port 10080 is the service port of app /team-b/etl; choose "
                + "another (each service port reaches one app)"),
        new Row("deploy an app on a free service port", "alice", new AppCommand.Deploy(app("/team-a/api")
            .role("web").port("http", 0).loadBalancer(10081, "http", "").build()),
            "/team-a/api instances=1 version=c1"),
        new Row("an update keeps the app's own service port", "bob", new AppCommand.Update(app("/team-b/etl")
            .role("batch").port("http", 0).loadBalancer(10080, "http", "").resources(2, 128, 0).build()),
            "/team-b/etl instances=1 version=c1"),
        new Row("deploy an existing app", "alice", new AppCommand.Deploy(WEB),
            "app /team-a/web exists already; use update (`kos app update`) to change it"),
        new Row("deploy an invalid app", "alice",
            new AppCommand.Deploy(app("/team-a/api").role("web").instances(-1).resources(0, 128, 0).build()),
            "app /team-a/api is invalid: instances: must be between 0 and 10000, was -1; "
                + "cpus: must be more than 0 and at most 1024 cores, was 0"),
        new Row("update to a new definition", "alice",
            new AppCommand.Update(app("/team-a/web").instances(3).role("web").resources(2, 128, 0).build()),
            "/team-a/web instances=3 version=c1"),
        new Row("update that only changes the count keeps the version", "alice",
            new AppCommand.Update(app("/team-a/web").instances(7).role("web").build()),
            "/team-a/web instances=7 version=v0"),
        new Row("update of a missing app", "alice", new AppCommand.Update(app("/team-a/api").role("web").build()),
            "app /team-a/api does not exist; `kos app list` shows the apps"),
        new Row("scale", "alice", new AppCommand.Scale("/team-a/web", 5), "/team-a/web instances=5 version=v0"),
        new Row("scale to zero", "alice", new AppCommand.Scale("/team-a/web", 0), "/team-a/web instances=0 version=v0"),
        new Row("scale to a negative count", "alice", new AppCommand.Scale("/team-a/web", -1),
            "app /team-a/web is invalid: instances: must be between 0 and 10000, was -1"),
        new Row("scale a missing app", "alice", new AppCommand.Scale("/team-a/nope", 2),
            "app /team-a/nope does not exist; `kos app list` shows the apps"),
        new Row("a scaling policy keeps the version", "alice",
            new AppCommand.SetScaling("/team-a/web", Optional.of(Apps.rpsPolicy())), "/team-a/web instances=3 version=v0"),
        new Row("an invalid scaling policy is rejected naming the field", "alice",
            new AppCommand.SetScaling("/team-a/web", Optional.of(new ScalingPolicy("rps", 0, 3, 2, 0.1, 1, 1,
                Duration.ZERO, Duration.ZERO, Duration.ZERO, ScaleMode.AUTOMATIC))),
            "app /team-a/web is invalid: scaling.target: must be a positive number, was 0.0; "
                + "scaling.maxInstances: must be at least minInstances (and 1) and at most 10000, was 2"),
        new Row("restart makes a new version", "alice", new AppCommand.Restart("/team-a/web"),
            "/team-a/web instances=3 version=c1"),
        new Row("remove", "alice", new AppCommand.Remove("/team-a/web"), "removed /team-a/web"),
        new Row("remove a missing app", "alice", new AppCommand.Remove("/team-a/nope"),
            "app /team-a/nope does not exist; `kos app list` shows the apps"),
        new Row("kill an instance by task id", "alice", new AppCommand.KillInstance("team-a_web.p1-0.0", false),
            "/team-a/web instances=3 version=v0 kill team-a_web.p1-0"),
        new Row("kill an instance and scale down", "alice", new AppCommand.KillInstance("team-a_web.p1-0", true),
            "/team-a/web instances=2 version=v0 kill team-a_web.p1-0"),
        new Row("kill a missing instance", "alice", new AppCommand.KillInstance("nope.0", false),
            "instance nope.0 does not exist; `kos task list` shows the instances"),
        new Row("kill an instance that is not running", "alice", new AppCommand.KillInstance("team-a_web.p1-1", false),
            "instance team-a_web.p1-1 of /team-a/web is not running (it is FAILED)"),
        new Row("deploy into another tenant's prefix", "alice",
            new AppCommand.Deploy(app("/team-b/web").role("web").build()),
            "principal alice may not act on /team-b/web: its apps are under /team-a/"),
        new Row("deploy into a role the principal may not use", "alice",
            new AppCommand.Deploy(app("/team-a/spark").role("batch").build()),
            "principal alice may not run apps in role batch: it may use roles web"),
        new Row("update moving an app into a forbidden role", "alice",
            new AppCommand.Update(app("/team-a/web").instances(3).role("batch").build()),
            "principal alice may not run apps in role batch: it may use roles web"),
        new Row("scale another tenant's app", "alice", new AppCommand.Scale("/team-b/etl", 9),
            "principal alice may not act on /team-b/etl: its apps are under /team-a/"),
        new Row("a prefix does not match a longer segment", "alice", new AppCommand.Scale("/team-ab/web", 1),
            "principal alice may not act on /team-ab/web: its apps are under /team-a/"),
        new Row("kill another tenant's instance", "bob", new AppCommand.KillInstance("team-a_web.p1-0.0", false),
            "principal bob may not act on /team-a/web: its apps are under /team-b/"),
        new Row("an unknown principal", "mallory", new AppCommand.Remove("/team-a/web"),
            "principal mallory is not in the tenant policy; ask an operator to add it"),
        new Row("an operator acts on every app", "ops", new AppCommand.Remove("/team-b/etl"), "removed /team-b/etl"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldAcceptOrRejectWithAReason(Row row) {
    Properties properties = new Properties();
    properties.setProperty("principal.alice.roles", "web");
    properties.setProperty("principal.alice.prefixes", "/team-a/");
    properties.setProperty("principal.bob.roles", "batch");
    properties.setProperty("principal.bob.prefixes", "/team-b/");
    properties.setProperty("principal.ops.roles", "web, batch");
    properties.setProperty("principal.ops.prefixes", "/");
    CommandHandler handler = new CommandHandler(TenantPolicy.parse(properties));
    Map<String, AppDefinition> apps = Map.of(WEB.id(), WEB, ETL.id(), ETL);

    AppCommandOutcome outcome = handler.handle(apps, List.of(RUNNING, FAILED),
        new CommandEnvelope("c1", row.principal(), "web", Instant.EPOCH, row.command()));

    assertThat(describe(apps, outcome)).isEqualTo(row.outcome());
  }

  private static String describe(Map<String, AppDefinition> before, AppCommandOutcome outcome) {
    if (outcome instanceof AppCommandOutcome.Rejected rejected) {
      return rejected.reason();
    }
    AppCommandOutcome.Accepted accepted = (AppCommandOutcome.Accepted) outcome;
    assertThat(accepted.deploymentId()).isEqualTo("c1");
    Optional<String> removed = before.keySet().stream().filter(id -> !accepted.apps().containsKey(id)).findFirst();
    if (removed.isPresent()) {
      return "removed " + removed.get();
    }
    AppDefinition changed = accepted.apps().values().stream().filter(app -> !app.equals(before.get(app.id())))
        .findFirst().orElse(WEB);
    return changed.id() + " instances=" + changed.instances() + " version=" + changed.version()
        + accepted.kills().stream().map(kill -> " kill " + kill.instanceId()).reduce("", String::concat);
  }
}
