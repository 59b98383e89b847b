package dev.kos.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.model.HealthCheckSpec;
import dev.kos.agent.model.HealthProtocol;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HealthTrackerTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final HealthCheckSpec SPEC = new HealthCheckSpec(HealthProtocol.TCP, null, null, 0,
      Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(1), 3);

  /** Each result is "+" or "-" at a second after start; the expected list is what gets reported. */
  static Stream<Arguments> histories() {
    return Stream.of(
        Arguments.of("the first success is reported", "+@1", List.of(true)),
        Arguments.of("successes after the first are not", "+@1 +@2 +@3", List.of(true)),
        Arguments.of("failures in the grace period do not count", "-@1 -@2 -@3 -@9", List.of()),
        Arguments.of("max consecutive failures after grace make it unhealthy", "-@10 -@11 -@12", List.of(false)),
        Arguments.of("fewer failures than the max say nothing", "+@1 -@10 -@11", List.of(true)),
        Arguments.of("a success resets the failure count", "+@1 -@10 -@11 +@12 -@13 -@14", List.of(true)),
        Arguments.of("healthy, unhealthy, healthy again", "+@1 -@10 -@11 -@12 -@13 +@14", List.of(true, false, true)),
        Arguments.of("grace failures do not add to later ones", "-@8 -@9 -@10 -@11", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void shouldReportOnlyChanges(String name, String history, List<Boolean> expected) {
    HealthTracker tracker = new HealthTracker(SPEC, START);
    List<Boolean> reported = new ArrayList<>();

    for (String result : history.split(" ")) {
      Instant at = START.plusSeconds(Long.parseLong(result.substring(2)));
      tracker.record(at, result.charAt(0) == '+').ifPresent(reported::add);
    }

    assertThat(reported).isEqualTo(expected);
  }
}
