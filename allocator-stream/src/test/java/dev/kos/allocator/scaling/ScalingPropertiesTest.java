package dev.kos.allocator.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.ScaleMode;
import dev.kos.model.ScalingPolicy;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** What must hold for any policy and any metric: bounds and steps kept, no flapping, spikes ignored. */
class ScalingPropertiesTest {

  @Property(tries = 200)
  void decisionsStayWithinBoundsAndSteps(@ForAll("policies") ScalingPolicy policy, @ForAll @IntRange(max = 100) int startPick,
      @ForAll @Size(min = 1, max = 120) List<@DoubleRange(max = 2000) Double> perInstance) {
    int instances = policy.minInstances() + startPick % (policy.maxInstances() - policy.minInstances() + 1);
    ScalingHarness h = ScalingHarness.create().app("web", instances, policy);
    for (double value : perInstance) {
      h.decisions.clear();
      h.tasksReport("web", Math.max(1, instances), value).advanceSeconds(1);
      for (Decision d : h.decisions) {
        assertThat(d.to()).as("decision %s", d.reason()).isBetween(policy.minInstances(), policy.maxInstances());
        assertThat(d.to() - d.from()).isBetween(-policy.maxStepDown(), policy.maxStepUp()).isNotZero();
        instances = d.to();
        h.app("web", instances, policy);
      }
    }
  }

  @Property(tries = 200)
  void anOscillationWithinTheToleranceYieldsNoDecision(@ForAll("policies") ScalingPolicy policy,
      @ForAll @IntRange(max = 100) int startPick,
      @ForAll @Size(min = 1, max = 120) List<@DoubleRange(min = -1, max = 1) Double> swings) {
    int instances = policy.minInstances() + startPick % (policy.maxInstances() - policy.minInstances() + 1);
    ScalingHarness h = ScalingHarness.create().app("web", instances, policy);
    for (double swing : swings) {
      h.tasksReport("web", Math.max(1, instances), policy.target() * (1 + swing * policy.tolerance() * 0.99))
          .advanceSeconds(1);
    }
    assertThat(h.decisions).isEmpty();
  }

  @Property(tries = 200)
  void aSpikeShorterThanTheScaleUpWindowYieldsNoDecision(@ForAll("policies") ScalingPolicy anyPolicy,
      @ForAll @IntRange(min = 1, max = 60) int windowSeconds, @ForAll @IntRange(max = 60) int calmBefore,
      @ForAll @IntRange(max = 100) int spikePick, @ForAll @DoubleRange(min = 1.5, max = 50) double spikeFactor) {
    ScalingPolicy policy = anyPolicy.withWindows(Duration.ofSeconds(windowSeconds), anyPolicy.downWindow());
    int instances = policy.minInstances() + spikePick % (policy.maxInstances() - policy.minInstances() + 1);
    int spikeSeconds = spikePick % windowSeconds;
    ScalingHarness h = ScalingHarness.create().app("web", instances, policy);
    for (int s = 0; s < calmBefore + spikeSeconds + 2 * windowSeconds; s++) {
      boolean spiking = s >= calmBefore && s < calmBefore + spikeSeconds;
      h.tasksReport("web", Math.max(1, instances), policy.target() * (spiking ? spikeFactor : 1)).advanceSeconds(1);
    }
    assertThat(h.decisions).isEmpty();
  }

  @Provide
  Arbitrary<ScalingPolicy> policies() {
    Arbitrary<Integer> seconds = Arbitraries.integers().between(0, 30);
    return Combinators.combine(
            Arbitraries.integers().between(1, 5),
            Arbitraries.integers().between(0, 15),
            Arbitraries.doubles().between(1, 500),
            Arbitraries.doubles().between(0.01, 0.5),
            Arbitraries.integers().between(1, 5),
            Arbitraries.integers().between(1, 5),
            seconds.list().ofSize(3),
            Arbitraries.of(ScaleMode.class))
        .as((min, extra, target, tolerance, up, down, durations, mode) -> new ScalingPolicy("rps", target, min, min + extra,
            tolerance, up, down, Duration.ofSeconds(durations.get(0)), Duration.ofSeconds(durations.get(1)),
            Duration.ofSeconds(durations.get(2)), mode));
  }
}
