package dev.kos.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RollupRequestTest {

  private static final Instant NOW = Instant.parse("2026-11-25T10:30:00Z");

  @ParameterizedTest(name = "{0}..{1} by {2}")
  @CsvSource(nullValues = "null", value = {
      "null,                 null, null,   2026-11-24T10:30:00Z, 2026-11-25T10:30:00Z, HOUR",
      "-1h,                  now,  minute, 2026-11-25T09:30:00Z, 2026-11-25T10:30:00Z, MINUTE",
      "2026-11-24T10:30:00Z, -0s,  MINUTE, 2026-11-24T10:30:00Z, 2026-11-25T10:30:00Z, MINUTE",
      "-31d,                 now,  hour,   2026-10-25T10:30:00Z, 2026-11-25T10:30:00Z, HOUR"})
  void shouldReadTheWindowAndTheGranularity(String from, String to, String granularity, Instant start, Instant end,
      Granularity width) {
    assertThat(RollupRequest.parse("/web", from, to, granularity, NOW))
        .isEqualTo(new RollupRequest("/web", start, end, width));
  }

  @ParameterizedTest(name = "{4}")
  @CsvSource(nullValues = "null", value = {
      "null, -1h,   now,  hour,   name the app",
      "' ',  -1h,   now,  hour,   name the app",
      "/web, now,   -1h,  hour,   must be before to",
      "/web, now,   now,  hour,   must be before to",
      "/web, -2d,   now,  minute, 'is 2 days; a minute rollup covers at most 1 day (ask for granularity=hour)'",
      "/web, -32d,  now,  hour,   'is 32 days; an hour rollup'",
      "/web, -1h,   now,  day,    'the granularity is minute or hour, not ''day'''",
      "/web, soon,  now,  hour,   'from: cannot read the time ''soon'''",
      "/web, -99999999999999999999d, now, hour, 'from: the age'",
      "/web, -9999999999999d, now, hour, 'from: the age'"})
  void shouldRefuseWithTheReason(String app, String from, String to, String granularity, String reason) {
    assertThatThrownBy(() -> RollupRequest.parse(app, from, to, granularity, NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
  }
}
