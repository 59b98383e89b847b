package dev.kos.frameworks.apps.core;

import static dev.kos.frameworks.apps.core.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusChangesTest {

  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private static final AppDefinition WEB = app("/web").instances(2).httpHealthCheck().port("http", 0).build();

  @Test
  void shouldReportEachTransitionWithTheAppsTallies() {
    List<Instance> before = List.of(instance("w1", 0, InstanceState.STAGING, false),
        instance("w2", 0, InstanceState.RUNNING, false));
    List<Instance> after = List.of(instance("w1", 0, InstanceState.RUNNING, false),
        instance("w2", 0, InstanceState.RUNNING, true));

    StatusChanges.Result result = StatusChanges.between(Map.of("/web", WEB), before, after, Map.of());

    assertThat(result.events()).extracting(StatusChanges.Event::kind, e -> e.instanceId().orElseThrow())
        .containsExactly(tuple("INSTANCE_RUNNING", "w1"),
            tuple("INSTANCE_HEALTHY", "w2"));
    assertThat(result.events().get(0).counts())
        .containsExactlyInAnyOrderEntriesOf(Map.of("wanted", 2, "live", 2, "running", 2, "healthy", 1));
  }

  @Test
  void shouldFinishADeploymentOnceTheWantedInstancesAreHealthy() {
    List<Instance> before = List.of(instance("w1", 0, InstanceState.RUNNING, true),
        instance("w2", 0, InstanceState.RUNNING, false));
    List<Instance> after = List.of(instance("w1", 0, InstanceState.RUNNING, true),
        instance("w2", 0, InstanceState.RUNNING, true));

    StatusChanges.Result result = StatusChanges.between(Map.of("/web", WEB), before, after, Map.of("/web", "d1"));

    assertThat(result.events()).extracting(StatusChanges.Event::kind)
        .containsExactly("INSTANCE_HEALTHY", "DEPLOYMENT_FINISHED");
    assertThat(result.deployments()).isEmpty();
  }

  @Test
  void shouldReportAStepWhileTheDeploymentIsUnderWay() {
    List<Instance> before = List.of(instance("w1", 0, InstanceState.RUNNING, true));
    List<Instance> after = List.of(instance("w1", 0, InstanceState.RUNNING, true),
        instance("w2", 0, InstanceState.STAGING, false));

    StatusChanges.Result result = StatusChanges.between(Map.of("/web", WEB), before, after, Map.of("/web", "d1"));

    assertThat(result.events()).extracting(StatusChanges.Event::kind)
        .containsExactly("INSTANCE_LAUNCHED", "DEPLOYMENT_STEP");
    assertThat(result.deployments()).containsEntry("/web", "d1");
  }

  @Test
  void shouldSayARemovedAppIsGoneOnceItsLastInstanceEnded() {
    List<Instance> before = List.of(instance("w1", 0, InstanceState.KILLING, true));
    List<Instance> after = List.of(instance("w1", 0, InstanceState.KILLED, false));

    StatusChanges.Result result = StatusChanges.between(Map.of(), before, after, Map.of("/web", "d2"));

    assertThat(result.events()).extracting(StatusChanges.Event::kind)
        .containsExactly("INSTANCE_KILLED", "DEPLOYMENT_FINISHED", "APP_REMOVED");
  }

  @Test
  void shouldReportARelaunchAsANewLaunchAndAFailureWithItsCount() {
    Instance failed = new Instance("w1", "/web", "v1", Agent.of("a1"), 0, InstanceState.FAILED, true, false, T, 2,
        Optional.of(T), Optional.empty(), List.of());
    List<Instance> before = List.of(instance("w1", 0, InstanceState.RUNNING, true));

    assertThat(StatusChanges.between(Map.of("/web", WEB), before, List.of(failed), Map.of()).events())
        .extracting(StatusChanges.Event::message)
        .containsExactly("instance w1 of /web (task w1.0 on a1) failed: FAILED, 2 times in a row");
    assertThat(StatusChanges.between(Map.of("/web", WEB), List.of(failed),
        List.of(instance("w1", 1, InstanceState.STAGING, false)), Map.of()).events())
        .extracting(StatusChanges.Event::kind).containsExactly("INSTANCE_LAUNCHED");
  }

  @Test
  void shouldReportAKilledInstanceThatWasForgottenAtOnce() {
    List<Instance> before = List.of(instance("w1", 0, InstanceState.KILLING, false),
        instance("w2", 0, InstanceState.RUNNING, true));
    List<Instance> after = List.of(instance("w2", 0, InstanceState.RUNNING, true));

    assertThat(StatusChanges.between(Map.of("/web", WEB), before, after, Map.of()).events())
        .extracting(StatusChanges.Event::kind, e -> e.agentId().orElseThrow())
        .containsExactly(tuple("INSTANCE_KILLED", "a1"));
  }

  @Test
  void shouldReportUnplacedInstancesOnlyWhenThePlanHadSomethingNewToSay() {
    AppDecision.Unplaced unique = new AppDecision.Unplaced("/web", 2, 3, List.of(new AppDecision.VetoSummary("UNIQUE",
        "hostname already runs an instance", Verdict.Kind.DYNAMIC, List.of("a1", "a2", "a3"))), true);
    AppDecision.Unplaced blind = new AppDecision.Unplaced("/web", 2, 0, List.of(), true);
    Map<String, AppDefinition> apps = Map.of("/web", WEB);

    assertThat(StatusChanges.ofPlan(new Plan(List.of(unique)), Map.of(), apps, List.of(), Map.of()))
        .extracting(StatusChanges.Event::kind).containsExactly("INSTANCE_UNPLACED");
    assertThat(StatusChanges.ofPlan(new Plan(List.of(unique)), Map.of("/web", unique.message()), apps, List.of(),
        Map.of())).isEmpty();
    assertThat(StatusChanges.ofPlan(new Plan(List.of(blind)), Map.of("/web", unique.message()), apps, List.of(),
        Map.of())).isEmpty();
  }

  @Test
  void shouldFailASupersededDeployment() {
    StatusChanges.Result result = StatusChanges.started(Map.of("/web", WEB), List.of(), Map.of("/web", "d1"),
        "/web", "d2", "scale to 2");

    assertThat(result.events()).extracting(StatusChanges.Event::kind)
        .containsExactly("DEPLOYMENT_FAILED", "DEPLOYMENT_STARTED");
    assertThat(result.deployments()).containsExactly(Map.entry("/web", "d2"));
  }

  private static Instance instance(String id, int attempt, InstanceState state, boolean healthy) {
    return new Instance(id, "/web", "v1", Agent.of("a1"), attempt, state, true, healthy, T, 0, Optional.empty(),
        Optional.empty(), List.of());
  }
}
