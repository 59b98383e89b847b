package dev.kos.bench.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BatchProgressTest {

  @Test
  void shouldReadTheDriversBatchLine() {
    String line = "[kos-analytics] batch 3: 1,234,567 records (1,200,000 log lines, 34,567 metrics) -> 2,880 app_minute,"
        + " 12 agent_minute, 2 app_days rows in 6,120 ms";
    assertThat(BatchProgress.parse(line)).contains(new BatchProgress(3, 1_234_567, 6_120));
    String withHours = "[kos-analytics] batch 3: 1,234,567 records (1,200,000 log lines, 34,567 metrics) -> 2,880"
        + " app_minute, 12 agent_minute, 2 app_days, 48 app_hour rows in 6,120 ms";
    assertThat(BatchProgress.parse(withHours)).contains(new BatchProgress(3, 1_234_567, 6_120));
  }

  @Test
  void shouldReadNumbersGroupedInAnotherLocale() {
    assertThat(BatchProgress.parse("[kos-analytics] batch 0: 1.234.567 records (x) -> 1 app_minute rows in 6.120 ms"))
        .contains(new BatchProgress(0, 1_234_567, 6_120));
  }

  @Test
  void shouldIgnoreOtherLines() {
    assertThat(BatchProgress.parse("[kos-analytics] caught up")).isEqualTo(Optional.empty());
    assertThat(BatchProgress.parse("INFO batch 3 done")).isEqualTo(Optional.empty());
  }

  @Test
  void shouldDivideAllRecordsByAllBatchTime() {
    assertThat(BatchProgress.recordsPerSecond(List.of(new BatchProgress(0, 300_000, 1_000),
        new BatchProgress(1, 100_000, 1_000)))).isEqualTo(200_000.0);
  }

  @Test
  void shouldRefuseARateWithoutBatchTime() {
    assertThatThrownBy(() -> BatchProgress.recordsPerSecond(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
