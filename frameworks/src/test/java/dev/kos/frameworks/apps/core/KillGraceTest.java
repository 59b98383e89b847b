package dev.kos.frameworks.apps.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KillGraceTest {

  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  static final Duration GRACE = Duration.ofSeconds(2);

  static Instance instance(String id, InstanceState state, boolean healthChecked, boolean healthy) {
    return new Instance(id, "/web", "v1", Agent.of("a1"), 1, state, healthChecked, healthy, T0, 0, Optional.empty(),
        Optional.empty(), List.of(31000));
  }

  static AppDecision.Kill kill(Instance instance) {
    return new AppDecision.Kill(instance.instanceId(), instance.taskId(), "a1", "scaled down");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a serving instance waits the grace", instance("w1", InstanceState.RUNNING, false, false),
            T0.plus(GRACE)),
        Arguments.of("a healthy instance waits the grace", instance("w1", InstanceState.RUNNING, true, true),
            T0.plus(GRACE)),
        Arguments.of("an unhealthy instance served nothing: at once",
            instance("w1", InstanceState.RUNNING, true, false), T0),
        Arguments.of("a starting instance served nothing: at once", instance("w1", InstanceState.STARTING, false,
            false), T0),
        Arguments.of("a staging instance: at once", instance("w1", InstanceState.STAGING, false, false), T0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void schedules(String name, Instance before, Instant due) {
    assertThat(KillGrace.schedule(List.of(kill(before)), List.of(before), T0, GRACE))
        .containsExactly(new KillGrace.Pending(kill(before), due));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void anUnknownInstanceIsKilledAtOnce(String name, Instance before, Instant due) {
    assertThat(KillGrace.schedule(List.of(kill(before)), List.of(), T0, GRACE))
        .containsExactly(new KillGrace.Pending(kill(before), T0));
  }

  static Stream<Arguments> dueCases() {
    KillGrace.Pending early = new KillGrace.Pending(kill(instance("w1", InstanceState.RUNNING, false, false)), T0);
    KillGrace.Pending late = new KillGrace.Pending(kill(instance("w2", InstanceState.RUNNING, false, false)),
        T0.plusSeconds(2));
    KillGrace.Pending later = new KillGrace.Pending(kill(instance("w3", InstanceState.RUNNING, false, false)),
        T0.plusSeconds(3));
    return Stream.of(
        Arguments.of(List.of(early, late, later), T0, List.of(early.kill()), List.of(late, later),
            Optional.of(T0.plusSeconds(2))),
        Arguments.of(List.of(later, late), T0.plusSeconds(2), List.of(late.kill()), List.of(later),
            Optional.of(T0.plusSeconds(3))),
        Arguments.of(List.of(early, late), T0.plusSeconds(5), List.of(early.kill(), late.kill()), List.of(),
            Optional.empty()),
        Arguments.of(List.of(), T0, List.of(), List.of(), Optional.empty()));
  }

  @ParameterizedTest
  @MethodSource("dueCases")
  void splitsDueFromLater(List<KillGrace.Pending> pending, Instant now, List<AppDecision.Kill> due,
      List<KillGrace.Pending> later, Optional<Instant> next) {
    assertThat(KillGrace.due(pending, now)).isEqualTo(new KillGrace.Due(due, later, next));
  }
}
