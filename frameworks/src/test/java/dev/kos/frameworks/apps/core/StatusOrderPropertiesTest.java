package dev.kos.frameworks.apps.core;

import static dev.kos.frameworks.apps.core.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever order agents' and the allocator's reports arrive in, a task's state only moves forward. */
class StatusOrderPropertiesTest {

  private static final List<InstanceState> REPORTED = List.of(InstanceState.STAGING, InstanceState.STARTING,
      InstanceState.RUNNING, InstanceState.FINISHED, InstanceState.FAILED, InstanceState.KILLED, InstanceState.LOST,
      InstanceState.DROPPED, InstanceState.ERROR);

  @Property(tries = 500)
  void aTaskNeverMovesBackAndIsDroppedOnlyWhileStaging(@ForAll("reports") List<InstanceState> reports) {
    PlannerHarness h = new PlannerHarness().app(app("/web")).agents(1)
        .instance("w1", "/web", app("/web").build().version(), "a1", InstanceState.STAGING, false, 1);
    InstanceState state = InstanceState.STAGING;
    for (InstanceState report : reports) {
      h.status("w1", report, Optional.empty());
      InstanceState next = h.instances.get(0).state();
      if (state.isTerminal()) {
        assertThat(next).as("an ended task stays ended").isEqualTo(state);
      } else if (!next.isTerminal()) {
        assertThat(next.ordinal()).as("%s after %s", report, state).isGreaterThanOrEqualTo(state.ordinal());
      }
      if (next == InstanceState.DROPPED && state != InstanceState.DROPPED) {
        assertThat(state).as("only a staging task is dropped").isEqualTo(InstanceState.STAGING);
      }
      state = next;
    }
  }

  @Provide
  Arbitrary<List<InstanceState>> reports() {
    return Arbitraries.of(REPORTED).list().ofMaxSize(8);
  }
}
