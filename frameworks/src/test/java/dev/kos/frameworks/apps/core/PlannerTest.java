package dev.kos.frameworks.apps.core;

import static dev.kos.frameworks.apps.core.Apps.app;
import static dev.kos.frameworks.apps.core.PlannerHarness.describe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.ContainerSpec;
import dev.kos.model.Ports;
import dev.kos.model.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per planner rule: a snapshot built with the harness, then the decisions the plan must hold. */
class PlannerTest {

  record Row(String name, Consumer<PlannerHarness> snapshot, List<String> decisions) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("a new app is launched on the first offer that fits",
            h -> h.app(app("/web").instances(2)).agents(2).offerAll(),
            List.of("launch /web on a1", "launch /web on a1", "decline o2-a2 for 120s")),
        new Row("UNIQUE hostname spreads instances over agents",
            h -> h.app(app("/web").instances(3).constraint("hostname", Constraint.Operator.UNIQUE)).agents(3)
                .offerAll(),
            List.of("launch /web on a1", "launch /web on a2", "launch /web on a3")),
        new Row("instances UNIQUE cannot place stay unplaced and offers are declined briefly",
            h -> h.app(app("/web").instances(5).constraint("hostname", Constraint.Operator.UNIQUE)).agents(3)
                .running("w1", "/web", "a1", 30).running("w2", "/web", "a2", 20).running("w3", "/web", "a3", 10)
                .offerAll(),
            List.of("unplaced /web x2", "decline o1-a1 for 5s", "decline o2-a2 for 5s", "decline o3-a3 for 5s")),
        new Row("an instance too big for every offer is unplaced",
            h -> h.app(app("/web").resources(16, 128, 0)).agent("a1").offer("a1", 4, 4096),
            List.of("unplaced /web x1", "decline o1-a1 for 5s")),
        new Row("scaling down kills the unhealthy, then the newest",
            h -> h.app(app("/web").instances(2)).agents(1)
                .running("old", "/web", "a1", 50).running("mid", "/web", "a1", 40)
                .instance("sick", "/web", "v1", "a1", InstanceState.RUNNING, false, 60)
                .running("new", "/web", "a1", 10).running("newer", "/web", "a1", 5),
            List.of("kill sick", "kill newer", "kill new")),
        new Row("an instance not yet running goes before a healthy one",
            h -> h.app(app("/web").instances(1)).agents(1).running("up", "/web", "a1", 5)
                .instance("staging", "/web", "v1", "a1", InstanceState.STAGING, false, 50),
            List.of("kill staging")),
        new Row("an instance being killed is not killed again, and is replaced within the maximum",
            h -> h.app(app("/web").instances(1).strategy(1, 0)).agents(1)
                .instance("going", "/web", "v1", "a1", InstanceState.KILLING, false, 50).offerAll(),
            List.of("launch /web on a1")),
        new Row("an instance on a draining agent is replaced elsewhere before it is killed, when there is room",
            h -> h.app(app("/web").instances(2).strategy(1, 0.5)).agents(3)
                .running("w1", "/web", "a1", 30).running("w2", "/web", "a2", 20).drain("a1").offerAll(),
            List.of("launch /web on a2", "decline o1-a1 for 120s", "decline o3-a3 for 120s")),
        new Row("a draining agent's instance goes once the healthy minimum allows, and its offer takes nothing",
            h -> h.app(app("/web").instances(3).strategy(0.6, 0)).agents(3)
                .running("w1", "/web", "a1", 30).running("w2", "/web", "a2", 20).running("w3", "/web", "a3", 10)
                .drain("a1").offer("a1", 64, 65536),
            List.of("kill w1", "decline o1-a1 for 120s")),
        new Row("nothing leaves a draining agent while that would drop below the healthy minimum; "
            + "its replacement waits for an offer",
            h -> h.app(app("/web").instances(2).strategy(1, 0)).agents(2)
                .running("w1", "/web", "a1", 30)
                .instance("w2", "/web", "v1", "a2", InstanceState.RUNNING, false, 20).drain("a1"),
            List.of("unplaced /web x1")),
        new Row("a stateful instance stays on its draining agent with its volumes",
            h -> h.app(app("/db").volume("data", "data", 64)).agents(2).running("d1", "/db", "a1", 30)
                .drain("a1").offerAll(),
            List.of("decline o1-a1 for 120s", "decline o2-a2 for 120s")),
        new Row("a task no agent reported on within the staging timeout is killed, and replaced when there is room",
            h -> h.app(app("/web").instances(1).strategy(1, 1)).agents(1)
                .instance("stuck", "/web", "v1", "a1", InstanceState.STAGING, false, 61).offerAll(),
            List.of("kill stuck", "launch /web on a1")),
        new Row("a task staging within the timeout is waited for, and the plan wakes at its deadline",
            h -> h.app(app("/web").instances(1)).agents(1)
                .instance("new", "/web", "v1", "a1", InstanceState.STAGING, false, 10),
            List.of("await new until +50s")),
        new Row("a failed instance waits for its backoff",
            h -> h.app(app("/web")).agents(1).running("w1", "/web", "a1", 60)
                .failed("w1", InstanceState.FAILED, 3, 3).offerAll(),
            List.of("delay w1 until +1s", "decline o1-a1 for 5s")),
        new Row("a failed instance is relaunched once its backoff is over",
            h -> h.app(app("/web")).agents(1).running("w1", "/web", "a1", 60)
                .failed("w1", InstanceState.FAILED, 3, 4).offerAll(),
            List.of("launch /web on a1")),
        new Row("a lost instance is relaunched on another agent",
            h -> h.app(app("/web")).agents(2).running("w1", "/web", "a1", 60)
                .failed("w1", InstanceState.LOST, 1, 5).offer("a2", 8, 8192),
            List.of("launch /web on a2")),
        new Row("ended instances beyond the count are expunged",
            h -> h.app(app("/web").instances(1)).agents(1).running("w1", "/web", "a1", 60)
                .running("w2", "/web", "a1", 50).failed("w2", InstanceState.FAILED, 1, 100),
            List.of("expunge w2")),
        new Row("a removed app's instances are killed and its ended ones expunged",
            h -> h.app(app("/web").instances(2)).agents(1).running("w1", "/web", "a1", 60)
                .running("w2", "/web", "a1", 50).failed("w2", InstanceState.FAILED, 1, 10)
                .instance("w3", "/web", "v1", "a1", InstanceState.KILLING, false, 5)
                .apps.remove("/web"),
            List.of("kill w1", "expunge w2")),
        new Row("an upgrade with room launches new instances before killing old ones",
            h -> h.app(app("/web").instances(3).strategy(1, 0.34).version("v2")).agents(1)
                .instance("w1", "/web", "v1", "a1", InstanceState.RUNNING, true, 60)
                .instance("w2", "/web", "v1", "a1", InstanceState.RUNNING, true, 50)
                .instance("w3", "/web", "v1", "a1", InstanceState.RUNNING, true, 40).offerAll(),
            List.of("launch /web on a1")),
        new Row("an upgrade kills old instances down to the healthy minimum",
            h -> h.app(app("/web").instances(4).strategy(0.5, 0).version("v2")).agents(1)
                .instance("w1", "/web", "v1", "a1", InstanceState.RUNNING, true, 60)
                .instance("w2", "/web", "v1", "a1", InstanceState.RUNNING, true, 50)
                .instance("w3", "/web", "v1", "a1", InstanceState.RUNNING, true, 40)
                .instance("w4", "/web", "v1", "a1", InstanceState.RUNNING, true, 30),
            List.of("kill w4", "kill w3")),
        new Row("an upgrade kills unhealthy old instances whatever the minimum",
            h -> h.app(app("/web").instances(2).strategy(1, 0).version("v2")).agents(1)
                .instance("w1", "/web", "v1", "a1", InstanceState.RUNNING, true, 60)
                .instance("w2", "/web", "v1", "a1", InstanceState.RUNNING, false, 50).offerAll(),
            List.of("kill w2", "launch /web on a1")),
        new Row("a stateful app's first launch reserves and creates its volumes",
            h -> h.app(app("/db").volume("data", "data", 512).strategy(0.5, 0)).agents(1).offerAll(),
            List.of("launch /db on a1 with new volumes")),
        new Row("a failed stateful instance goes back to its agent and volumes",
            h -> h.app(app("/db").volume("data", "data", 512).strategy(0.5, 0)).agents(2)
                .running("d1", "/db", "a2", 60).failed("d1", InstanceState.FAILED, 1, 5).offerAll(),
            List.of("launch /db on a2 with its volumes", "decline o1-a1 for 120s")),
        new Row("a stateful instance waits for its agent rather than go elsewhere",
            h -> h.app(app("/db").volume("data", "data", 512).strategy(0.5, 0)).agents(2)
                .running("d1", "/db", "a2", 60).failed("d1", InstanceState.LOST, 1, 5).offer("a1", 8, 8192),
            List.of("unplaced /db x1", "decline o1-a1 for 5s")),
        new Row("a stateful instance whose agent is lost too long is placed elsewhere with new volumes",
            h -> h.app(app("/db").volume("data", "data", 512).strategy(0.5, 0)).agents(2)
                .running("d1", "/db", "a2", 6000).failed("d1", InstanceState.LOST, 1, 601).offer("a1", 8, 8192),
            List.of("abandon d1 on a2", "launch /db on a1 with new volumes")),
        new Row("an expunged stateful instance no longer holds its host for UNIQUE",
            h -> h.app(app("/db").volume("data", "data", 512).strategy(0.5, 0)
                    .constraint("hostname", Constraint.Operator.UNIQUE)).agents(2)
                .running("d1", "/db", "a1", 6000).failed("d1", InstanceState.LOST, 1, 601)
                .running("d2", "/db", "a2", 6000).failed("d2", InstanceState.KILLED, 0, 601).offer("a2", 8, 8192),
            List.of("expunge d2", "abandon d1 on a1", "launch /db on a2 with new volumes")),
        new Row("a stopped stateful instance of the old version is relaunched in place at the new one",
            h -> h.app(app("/db").instances(1).volume("data", "data", 512).strategy(1, 0).version("v2"))
                .agents(1).instance("d1", "/db", "v1", "a1", InstanceState.KILLED, false, 60).offerAll(),
            List.of("launch /db on a1 with its volumes")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldDecide(Row row) {
    PlannerHarness harness = new PlannerHarness();
    row.snapshot().accept(harness);

    assertThat(describe(harness.plan())).containsExactlyElementsOf(row.decisions());
  }

  @Test
  void shouldSayWhyInstancesAreUnplacedAndThatCapacityWouldHelp() {
    PlannerHarness h = new PlannerHarness()
        .app(app("/web").instances(5).constraint("hostname", Constraint.Operator.UNIQUE)).agents(3)
        .running("w1", "/web", "a1", 30).running("w2", "/web", "a2", 20).running("w3", "/web", "a3", 10)
        .offerAll();

    AppDecision.Unplaced unplaced = h.plan().unplaced().get(0);

    assertThat(unplaced.message()).isEqualTo("2 instances of /web unplaced: UNIQUE hostname: already runs an "
        + "instance (3 of 3 agents: a1, a2, a3); more capacity would help");
    assertThat(unplaced.capacityWouldHelp()).isTrue();
  }

  @Test
  void shouldSayCapacityWouldNotHelpWhenOnlyStaticVetoesRemain() {
    PlannerHarness h = new PlannerHarness()
        .app(app("/web").instances(1).resources(16, 128, 0).constraint("rack", Constraint.Operator.LIKE, "r2"))
        .agent("a1", "rack", "r1").agent("a2", "rack", "r1").offer("a1", 4, 4096).offer("a2", 64, 65536);

    AppDecision.Unplaced unplaced = h.plan().unplaced().get(0);

    assertThat(unplaced.message()).isEqualTo("1 instance of /web unplaced: resources: not enough free (needs "
        + "16.0 cpus) (1 of 2 agents: a1); LIKE rack:r2: does not match r2 (2 of 2 agents: a1, a2); "
        + "more capacity would not help");
    assertThat(unplaced.reasons()).map(AppDecision.VetoSummary::kind)
        .containsExactly(Verdict.Kind.DYNAMIC, Verdict.Kind.STATIC);
  }

  @Test
  void shouldPlaceAContainerAppOnlyWhereAnAgentRunsContainers() {
    PlannerHarness h = new PlannerHarness()
        .app(app("/web").instances(2).container(ContainerSpec.of("oci:/images/web:1")))
        .agent("a1").agent("a2", ContainerSpec.RUNTIME_ATTRIBUTE, ContainerSpec.RUNC)
        .offer("a1", 64, 65536).offer("a2", 64, 65536);

    Plan plan = h.plan();

    assertThat(plan.launches()).extracting(launch -> launch.agent().agentId()).containsExactly("a2", "a2");
  }

  @Test
  void shouldSayAContainerAppWaitsForAnAgentThatRunsContainers() {
    PlannerHarness h = new PlannerHarness()
        .app(app("/web").instances(1).container(ContainerSpec.of("oci:/images/web:1")))
        .agent("a1").offer("a1", 64, 65536);

    AppDecision.Unplaced unplaced = h.plan().unplaced().get(0);

    assertThat(unplaced.message()).startsWith("1 instance of /web unplaced: CLUSTER kos.containers:runc")
        .contains("(1 of 1 agents: a1)");
  }

  @Test
  void shouldAskForOffersWhenThereAreNone() {
    PlannerHarness h = new PlannerHarness().app(app("/web").instances(2));

    Plan plan = h.plan();

    assertThat(plan.wantsOffers()).isTrue();
    assertThat(plan.unplaced().get(0).message())
        .isEqualTo("2 instances of /web unplaced: no offers to place them on; more capacity would help");
  }

  @Test
  void shouldSplitOneOfferBetweenLaunchesWithDistinctPorts() {
    PlannerHarness h = new PlannerHarness().app(app("/web").instances(3).resources(1, 100, 0).port("http", 0))
        .agent("a1").offer("a1", Resources.of(2, 1000, 0), Ports.range(31000, 31005));

    Plan plan = h.plan();

    assertThat(plan.launches()).map(AppDecision.Launch::ports).containsExactly(List.of(31000), List.of(31001));
    assertThat(plan.unplaced()).singleElement().extracting(AppDecision.Unplaced::count).isEqualTo(1);
  }

  @Test
  void shouldTellWhenToPlanAgainDuringABackoff() {
    PlannerHarness h = new PlannerHarness().app(app("/web")).agents(1).running("w1", "/web", "a1", 60)
        .failed("w1", InstanceState.FAILED, 2, 0);

    assertThat(h.plan().wakeUpAt()).contains(h.now.plusSeconds(2));
  }

  @Test
  void shouldNameNewInstancesAfterTheAppAndThePlan() {
    PlannerHarness h = new PlannerHarness().app(app("/team-a/web").instances(2)).agents(1).offerAll();

    assertThat(h.plan().launches()).map(AppDecision.Launch::taskId)
        .containsExactly("team-a_web.p1-0.0", "team-a_web.p1-1.0");
  }

  @Test
  void shouldRollAnUpgradeThroughWithoutDroppingBelowTheHealthyMinimum() {
    PlannerHarness h = new PlannerHarness().app(app("/web").instances(2).strategy(1, 0.5)).agents(1);
    h.instance("w1", "/web", "v1", "a1", InstanceState.RUNNING, true, 60)
        .instance("w2", "/web", "v1", "a1", InstanceState.RUNNING, true, 50)
        .app(app("/web").instances(2).strategy(1, 0.5).version("v2"));

    assertThat(describe(h.offerAll().step())).containsExactly("launch /web on a1");
    String first = h.instances.get(2).instanceId();
    h.status(first, InstanceState.RUNNING, Optional.empty());
    assertThat(describe(h.step())).containsExactly("kill w2");
    h.status("w2", InstanceState.KILLED, Optional.empty());
    assertThat(describe(h.offerAll().step())).containsExactly("launch /web on a1");
    String second = h.instances.get(2).instanceId();
    assertThat(describe(h.step())).as("the new task is waited for, not launched again")
        .containsExactly("await " + second + " until +60s");
    h.status(second, InstanceState.RUNNING, Optional.empty());
    assertThat(describe(h.step())).containsExactly("kill w1");
    h.status("w1", InstanceState.KILLED, Optional.empty());

    assertThat(h.instances).map(Instance::version).containsExactly("v2", "v2");
    assertThat(describe(h.offerAll().step())).containsExactly("decline o1-a1 for 120s");
  }

  @Test
  void shouldBackOffExponentiallyUpToTheMaximum() {
    PlannerConfig config = PlannerConfig.DEFAULT;

    assertThat(List.of(0, 1, 2, 3, 9, 10, 100).stream().map(config::backoff).map(Duration::toSeconds))
        .containsExactly(0L, 1L, 2L, 4L, 256L, 300L, 300L);
  }
}
