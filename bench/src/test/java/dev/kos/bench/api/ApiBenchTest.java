package dev.kos.bench.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bench.results.Machine;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ApiBenchTest {

  @Test
  void shouldSayWhetherTheEventStreamGoalIsMet() {
    assertThat(ApiBench.goalVerdict(200.0, 3))
        .isEqualTo("Goal (issue 20) event stream p99 <= 200 ms: met (median of 3 runs, 200.0 ms).");
    assertThat(ApiBench.goalVerdict(200.5, 1))
        .isEqualTo("Goal (issue 20) event stream p99 <= 200 ms: NOT met (one run, 200.5 ms).");
  }

  @Test
  void shouldWarnThatFiguresTakenUnderLoadAreNoResult() {
    assertThat(ApiBench.loadNote(new Machine(2, 1L << 30, "Linux", "Java 17", 2.0))).isEmpty();
    assertThat(ApiBench.loadNote(new Machine(2, 1L << 30, "Linux", "Java 17", 19.26))).hasValueSatisfying(note ->
        assertThat(note).startsWith("The load average (19.26) was above the 2 cores at the start").contains(
            "not a result"));
  }

  @Test
  void shouldRunThreeTimesWith10000TasksByDefault() {
    ApiBench bench = new ApiBench();
    new CommandLine(bench).parseArgs();

    assertThat(bench.runs).isEqualTo(3);
    assertThat(bench.tasks).isEqualTo(10_000);
  }

  @Test
  void shouldNameIdsSoThatTheirOrderIsTheirNumbers() {
    assertThat(ApiBench.appId(7)).isEqualTo("/bench/app-007");
    assertThat(ApiBench.taskId(42)).isEqualTo("bench-task-00042");
  }
}
