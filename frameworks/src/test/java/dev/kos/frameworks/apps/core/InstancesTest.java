package dev.kos.frameworks.apps.core;

import static dev.kos.frameworks.apps.core.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The instance book: one row per transition, from one running instance {@code w1} of a plain app. */
class InstancesTest {

  record Row(String name, boolean healthChecked, Consumer<PlannerHarness> events, String after) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("running without health checks is healthy", false,
            h -> h.status("w1", InstanceState.RUNNING, Optional.empty()), "w1 RUNNING healthy failures=0"),
        new Row("running with health checks waits for a healthy report", true,
            h -> h.status("w1", InstanceState.RUNNING, Optional.empty()), "w1 RUNNING unhealthy failures=0"),
        new Row("a healthy report makes it healthy", true,
            h -> h.status("w1", InstanceState.RUNNING, Optional.of(true)), "w1 RUNNING healthy failures=0"),
        new Row("an unexpected end counts a failure", false,
            h -> h.status("w1", InstanceState.FAILED, Optional.empty()), "w1 FAILED unhealthy failures=1"),
        new Row("a lost agent counts a failure", false,
            h -> h.status("w1", InstanceState.LOST, Optional.empty()), "w1 LOST unhealthy failures=1"),
        new Row("a kill marks it KILLING", false,
            h -> h.instances = Instances.afterPlan(h.instances, new Plan(List.of(
                new AppDecision.Kill("w1", "w1.0", "a1", "test"))), h.now),
            "w1 KILLING unhealthy failures=0"),
        new Row("a report of life does not undo a kill", false,
            h -> {
              h.instances = Instances.afterPlan(h.instances, new Plan(List.of(
                  new AppDecision.Kill("w1", "w1.0", "a1", "test"))), h.now);
              h.status("w1", InstanceState.RUNNING, Optional.of(true));
            },
            "w1 KILLING unhealthy failures=0"),
        new Row("a killed instance is forgotten once it ends", false,
            h -> {
              h.instances = Instances.afterPlan(h.instances, new Plan(List.of(
                  new AppDecision.Kill("w1", "w1.0", "a1", "test"))), h.now);
              h.status("w1", InstanceState.KILLED, Optional.empty());
            },
            ""),
        new Row("an expunged instance is forgotten", false,
            h -> h.instances = Instances.afterPlan(h.instances, new Plan(List.of(
                new AppDecision.Expunge("w1", "test"))), h.now),
            ""),
        new Row("a DROPPED answer to an accept that repeated a running task's id leaves it running", false,
            h -> h.status("w1", InstanceState.DROPPED, Optional.empty()), "w1 RUNNING healthy failures=0"),
        new Row("a late STAGING report does not take a running task back", false,
            h -> h.status("w1", InstanceState.STAGING, Optional.empty()), "w1 RUNNING healthy failures=0"),
        new Row("a late STARTING report does not take a running task back", false,
            h -> h.status("w1", InstanceState.STARTING, Optional.empty()), "w1 RUNNING healthy failures=0"),
        new Row("a report on an earlier attempt is ignored", false,
            h -> h.instances = Instances.afterStatus(h.instances,
                new TaskReport("w1.7", InstanceState.FAILED, Optional.empty(), h.now)),
            "w1 RUNNING healthy failures=0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldMoveTheInstance(Row row) {
    Apps app = app("/web");
    if (row.healthChecked()) {
      app.port("http", 0).httpHealthCheck();
    }
    PlannerHarness h = new PlannerHarness().app(app).agents(1).running("w1", "/web", "a1", 10);

    row.events().accept(h);

    assertThat(h.instances.stream().map(InstancesTest::describe).findFirst().orElse("")).isEqualTo(row.after());
  }

  record StagedRow(String name, List<InstanceState> reports, String after) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<StagedRow> stagedRows() {
    return Stream.of(
        new StagedRow("a DROPPED accept ends a staging task", List.of(InstanceState.DROPPED),
            "w1 DROPPED unhealthy failures=1"),
        new StagedRow("a task that reported STARTING was placed: a later DROPPED repeats its accept",
            List.of(InstanceState.STARTING, InstanceState.DROPPED), "w1 STARTING unhealthy failures=0"),
        new StagedRow("staging, starting, running move forward", List.of(InstanceState.STAGING,
            InstanceState.STARTING, InstanceState.RUNNING), "w1 RUNNING healthy failures=0"),
        new StagedRow("a failure after running still ends it", List.of(InstanceState.RUNNING, InstanceState.FAILED),
            "w1 FAILED unhealthy failures=1"),
        new StagedRow("a lost staging task ends", List.of(InstanceState.LOST), "w1 LOST unhealthy failures=1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stagedRows")
  void shouldApplyOnlyStatusesThatMoveAStagingTaskForward(StagedRow row) {
    PlannerHarness h = new PlannerHarness().app(app("/web")).agents(1)
        .instance("w1", "/web", app("/web").build().version(), "a1", InstanceState.STAGING, false, 1);

    row.reports().forEach(state -> h.status("w1", state, Optional.empty()));

    assertThat(h.instances).singleElement().extracting(InstancesTest::describe).isEqualTo(row.after());
  }

  record StrayRow(String name, String taskId, InstanceState reported, boolean stray) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<StrayRow> strayRows() {
    return Stream.of(
        new StrayRow("a live report on a task no instance has (an instance it replaced launched it)", "w9.0",
            InstanceState.RUNNING, true),
        new StrayRow("a STAGING report on an unknown task", "w9.0", InstanceState.STAGING, true),
        new StrayRow("a live report on another attempt of a known instance", "w1.7", InstanceState.RUNNING, true),
        new StrayRow("a live report on the instance's own task", "w1.0", InstanceState.RUNNING, false),
        new StrayRow("an end of an unknown task: nothing left to kill", "w9.0", InstanceState.FAILED, false),
        new StrayRow("kos knows nothing of an unknown task: nothing to kill", "w9.0", InstanceState.LOST, false),
        new StrayRow("a DROPPED answer on an unknown task", "w9.0", InstanceState.DROPPED, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strayRows")
  void shouldTellAStrayTask(StrayRow row) {
    PlannerHarness h = new PlannerHarness().app(app("/web")).agents(1).running("w1", "/web", "a1", 10);

    boolean stray = Instances.stray(h.instances, new TaskReport(row.taskId(), row.reported(), Optional.empty(),
        h.now));

    assertThat(stray).isEqualTo(row.stray());
  }

  @Test
  void shouldKeepAKilledStatefulInstanceWithItsVolumes() {
    PlannerHarness h = new PlannerHarness().app(app("/db").volume("data", "data", 10).strategy(0.5, 0)).agents(1)
        .running("d1", "/db", "a1", 10);
    h.instances = Instances.afterPlan(h.instances, new Plan(List.of(new AppDecision.Kill("d1", "d1.0", "a1", "t"))),
        h.now);

    h.status("d1", InstanceState.KILLED, Optional.empty());

    assertThat(h.instances).singleElement().satisfies(instance -> {
      assertThat(describe(instance)).isEqualTo("d1 KILLED unhealthy failures=0");
      assertThat(instance.residency()).isPresent();
    });
  }

  @Test
  void shouldRelaunchUnderANewTaskIdAndForgetTheBackoffOnceHealthy() {
    PlannerHarness h = new PlannerHarness().app(app("/web")).agents(1).running("w1", "/web", "a1", 10).offerAll();
    h.status("w1", InstanceState.FAILED, Optional.empty()).advance(Duration.ofSeconds(1));

    Plan plan = h.step();
    h.status("w1", InstanceState.RUNNING, Optional.empty());

    assertThat(plan.launches()).singleElement().extracting(AppDecision.Launch::taskId).isEqualTo("w1.1");
    assertThat(h.instances).singleElement().extracting(InstancesTest::describe)
        .isEqualTo("w1 RUNNING healthy failures=0");
  }

  private static String describe(Instance instance) {
    return instance.instanceId() + " " + instance.state() + (instance.healthy() ? " healthy" : " unhealthy")
        + " failures=" + instance.failures();
  }
}
