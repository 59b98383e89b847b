package dev.kos.frameworks.apps.core;

import static dev.kos.frameworks.apps.core.Apps.app;
import static dev.kos.frameworks.apps.core.PlannerHarness.describe;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 5's stories at the core's level: commands through the handler, plans through the harness. */
class AppsScenarioTest {

  private final CommandHandler handler = new CommandHandler(TenantPolicy.OPEN);
  private final PlannerHarness h = new PlannerHarness();
  private int commands;

  @Test
  void shouldSpreadUniqueInstancesSayWhyTheSurplusWaitsAndScaleBack() {
    h.agents(3);
    command(new AppCommand.Deploy(app("/web").instances(3).constraint("hostname", Constraint.Operator.UNIQUE)
        .build()));
    assertThat(describe(h.offerAll().step())).containsExactly("launch /web on a1", "launch /web on a2",
        "launch /web on a3");
    startAll();

    command(new AppCommand.Scale("/web", 5));
    Plan scaled = h.offerAll().step();
    assertThat(scaled.unplaced()).singleElement().extracting(AppDecision.Unplaced::message)
        .isEqualTo("2 instances of /web unplaced: UNIQUE hostname: already runs an instance (3 of 3 agents: "
            + "a1, a2, a3); more capacity would help");

    command(new AppCommand.Scale("/web", 2));
    assertThat(describe(h.step())).containsExactly("kill web.p1-2");
  }

  @Test
  void shouldUpgradeAStatefulAppInPlaceKeepingItsVolumes() {
    h.agents(2);
    command(new AppCommand.Deploy(app("/db").instances(2).volume("data", "data", 100).strategy(0.5, 0)
        .constraint("hostname", Constraint.Operator.UNIQUE).build()));
    assertThat(describe(h.offerAll().step())).containsExactly("launch /db on a1 with new volumes",
        "launch /db on a2 with new volumes");
    startAll();
    List<InstanceVolume> volumes = h.instances.stream()
        .flatMap(i -> i.residency().orElseThrow().volumes().stream()).toList();

    command(new AppCommand.Restart("/db"));
    for (int round = 0; round < 4; round++) {
      h.offerAll().step();
      assertThat(h.healthy("/db")).isGreaterThanOrEqualTo(1);
      startAll();
      h.instances.stream().filter(i -> i.state() == InstanceState.KILLING).toList()
          .forEach(i -> h.status(i.instanceId(), InstanceState.KILLED, Optional.empty()));
    }

    assertThat(h.instances).hasSize(2).allMatch(i -> i.version().equals("c2") && i.isHealthyAndRunning());
    assertThat(h.instances.stream().flatMap(i -> i.residency().orElseThrow().volumes().stream()))
        .containsExactlyInAnyOrderElementsOf(volumes);
  }

  private void command(AppCommand command) {
    AppCommandOutcome outcome = handler.handle(h.apps, h.instances,
        new CommandEnvelope("c" + ++commands, "alice", "web", h.now, command));
    AppCommandOutcome.Accepted accepted = (AppCommandOutcome.Accepted) outcome;
    h.apps.clear();
    h.apps.putAll(accepted.apps());
  }

  private void startAll() {
    h.instances.stream().filter(i -> i.state().isLive() && !i.healthy()).toList()
        .forEach(i -> h.status(i.instanceId(), InstanceState.RUNNING, Optional.empty()));
  }
}
