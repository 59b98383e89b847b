package dev.kos.agent.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.model.TaskRef;
import dev.kos.agent.model.TaskUsage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryWatchdogTest {
  private static final long MIB = 1024 * 1024;

  @ParameterizedTest(name = "rss {0} MiB, limit {1} MiB → kill: {2}")
  @CsvSource({
      "10, 64, false",
      "64, 64, false",
      "65, 64, true",
      "500, 0, false"})
  void shouldKillOnlyOverTheLimit(long rssMb, double limitMb, boolean kill) {
    TaskUsage usage = new TaskUsage(new TaskRef("t", "fw", null), Duration.ZERO, rssMb * MIB, 1, Instant.EPOCH);

    var violation = MemoryWatchdog.violation(usage, limitMb);

    assertThat(violation.isPresent()).isEqualTo(kill);
    violation.ifPresent(reason -> assertThat(reason).contains("memory watchdog").contains(rssMb + ".0 MiB"));
  }
}
