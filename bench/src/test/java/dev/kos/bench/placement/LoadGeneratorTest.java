package dev.kos.bench.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoadGeneratorTest {

  @ParameterizedTest(name = "{0} tasks at {1}/s after {2} ms: {3} due")
  @CsvSource({
      "1000, 0, 0, 1000",
      "1000, 100, 0, 0",
      "1000, 100, 1500, 150",
      "1000, 100, 999999, 1000",
      "1000, 1000, 19, 19"})
  void shouldAskForTasksAtTheRate(long tasks, double rate, long elapsed, long due) {
    assertThat(LoadGenerator.due(tasks, rate, elapsed)).isEqualTo(due);
  }

  @ParameterizedTest(name = "{1} due over {0} frameworks")
  @CsvSource({"3, 0", "3, 1", "3, 7", "4, 100", "100, 1000000", "7, 5"})
  void shouldSpreadTheDueTasksRoundRobin(int frameworks, long due) {
    long[] targets = IntStream.range(0, frameworks).mapToLong(f -> LoadGenerator.targetOf(f, frameworks, due)).toArray();

    assertThat(targets).satisfies(t -> assertThat(Arrays.stream(t).sum()).isEqualTo(due));
    assertThat(Arrays.stream(targets).max().orElse(0) - Arrays.stream(targets).min().orElse(0))
        .isLessThanOrEqualTo(1);
  }
}
