package dev.kos.analytics.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeBucketsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "2026-11-25T04:52:13.999Z, 2026-11-25T04:52:00Z, 2026-11-25T04:00:00Z, 2026-11-25",
      "2026-11-25T04:52:00Z,     2026-11-25T04:52:00Z, 2026-11-25T04:00:00Z, 2026-11-25",
      "2026-11-24T23:59:59.999Z, 2026-11-24T23:59:00Z, 2026-11-24T23:00:00Z, 2026-11-24",
      "1969-12-31T23:59:30Z,     1969-12-31T23:59:00Z, 1969-12-31T23:00:00Z, 1969-12-31"})
  void shouldTruncateToTheUtcMinuteHourAndDay(Instant at, Instant minute, Instant hour, LocalDate day) {
    long millis = at.toEpochMilli();

    assertThat(TimeBuckets.minuteOf(millis)).isEqualTo(minute.toEpochMilli());
    assertThat(TimeBuckets.hourOf(millis)).isEqualTo(hour.toEpochMilli());
    assertThat(TimeBuckets.dayOf(millis)).isEqualTo(day);
  }
}
