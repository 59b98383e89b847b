package dev.kos.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.agent.model.ResourceSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimSpecTest {
  private static final ResourceSet RESOURCES = new ResourceSet(1, 1, 1, List.of());

  private static SimSpec spec(int agents) {
    return new SimSpec(agents, "sim", RESOURCES, Map.of(), TaskDurations.parse("exp:30s"), 0.01,
        Duration.ofSeconds(5), 1);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "sim-0, 0",
      "sim-99, 99",
      "sim-100, -1",
      "sim-01, -1",
      "sim-, -1",
      "sim, -1",
      "simx-1, -1",
      "sim-1a, -1",
      "other-1, -1",
      "sim-99999999, -1"})
  void shouldFindAnAgentByItsIdAndOnlyItsOwn(String agentId, int expected) {
    assertThat(spec(100).agentIndex(agentId)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "0 agents | 0 | sim | 0.01 | 5000 | --agents must be between 1 and",
      "bad prefix | 10 | -x | 0.01 | 5000 | invalid agent id prefix '-x'",
      "failure rate above 1 | 10 | sim | 1.5 | 5000 | --failure-rate must be between 0 and 1",
      "heartbeat too short | 10 | sim | 0.01 | 50 | --heartbeat must be at least 100ms"})
  void shouldRefuseAnImpossibleFleet(String name, int agents, String prefix, double failureRate, long heartbeatMs,
      String message) {
    assertThatThrownBy(() -> new SimSpec(agents, prefix, RESOURCES, Map.of(), TaskDurations.parse("fixed:1s"),
        failureRate, Duration.ofMillis(heartbeatMs), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "exp:30s | EXP | 30000",
      "fixed:500ms | FIXED | 500",
      "fixed: 2m | FIXED | 120000"})
  void shouldParseTaskDurations(String flag, TaskDurations.Distribution distribution, long meanMillis) {
    assertThat(TaskDurations.parse(flag)).isEqualTo(new TaskDurations(distribution, Duration.ofMillis(meanMillis)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "30s | expected exp:MEAN or fixed:DURATION",
      "normal:30s | expected exp:MEAN or fixed:DURATION",
      "exp:soon | invalid duration 'soon'"})
  void shouldRefuseBadTaskDurations(String flag, String message) {
    assertThatThrownBy(() -> TaskDurations.parse(flag)).hasMessageContaining(message);
  }

  @Test
  void shouldDrawExponentialDurationsAroundTheirMean() {
    TaskDurations durations = TaskDurations.parse("exp:30s");
    SplittableRandom random = new SplittableRandom(3);
    double meanSeconds = IntStream.range(0, 100_000).mapToLong(ignored -> durations.sample(random).toMillis())
        .average().orElseThrow() / 1000;
    assertThat(meanSeconds).isBetween(29.0, 31.0);
  }
}
