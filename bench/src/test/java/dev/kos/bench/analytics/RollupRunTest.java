package dev.kos.bench.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bench.results.Figure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RollupRunTest {

  private static final Instant SUBMITTED = Instant.parse("2026-12-07T12:00:00Z");
  private static final AccessLines LINES = new AccessLines(1_000, SUBMITTED.minus(Duration.ofDays(1)),
      Duration.ofDays(1), 4);
  private static final RollupRun.Expected PRODUCED = RollupRun.Expected.of(LINES);

  private static RollupRun run(RollupRun.Expected rolledUp, int executorsRunning) {
    return new RollupRun(2, SUBMITTED, Optional.of(SUBMITTED.plusSeconds(10)), executorsRunning,
        List.of(new BatchProgress(0, 600_000, 3_000), new BatchProgress(1, 400_000, 2_000)),
        Optional.of(SUBMITTED.plusSeconds(15)), SUBMITTED.plusSeconds(25), PRODUCED, rolledUp);
  }

  @Test
  void shouldPassARunWhoseRollupsHoldExactlyWhatWasProduced() {
    assertThat(run(PRODUCED, 2).check()).isEmpty();
  }

  @Test
  void shouldFailARunWhoseRollupsMissOrDoubleLines() {
    assertThat(run(new RollupRun.Expected(999, 999, 949, 50, 50), 2).check()).singleElement().asString()
        .contains("hold", "not the");
    assertThat(run(new RollupRun.Expected(2_000, 2_000, 1_900, 100, 100), 2).check()).hasSize(1);
  }

  @Test
  void shouldFailARunWithFewerExecutorsThanAskedFor() {
    assertThat(run(PRODUCED, 1).check()).singleElement().asString().contains("1 executor(s) ran, not the 2");
  }

  @Test
  void shouldFailARunWithoutBatchesOrLaunch() {
    RollupRun silent = new RollupRun(1, SUBMITTED, Optional.empty(), 1, List.of(), Optional.empty(),
        SUBMITTED.plusSeconds(5), PRODUCED, PRODUCED);
    assertThat(silent.check()).hasSize(2);
  }

  @Test
  void shouldMeasureThroughputAndLaunchFromTheBatchesAndTheirTimes() {
    Map<String, Double> figures = run(PRODUCED, 2).figures().stream()
        .collect(Collectors.toMap(Figure::name, Figure::value));
    assertThat(figures).containsEntry("2 executors: records/s through the micro-batch", 200_000.0)
        .containsEntry("2 executors: micro-batches", 2.0)
        .containsEntry("2 executors: launch: submit -> first executor RUNNING", 10.0)
        // Reported 15 s after the submit, after 3 s of work.
        .containsEntry("2 executors: launch: submit -> first micro-batch begins", 12.0)
        .containsEntry("2 executors: submit -> job FINISHED", 25.0)
        .containsEntry("2 executors: lines/s from submit to FINISHED", 40.0);
  }
}
