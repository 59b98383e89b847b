package dev.kos.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The top-apps and agent-usage requests of the API: parsed and refused as {@link RollupRequest} is. */
class TopAppsRequestTest {

  private static final Instant NOW = Instant.parse("2026-11-25T10:30:00Z");

  @ParameterizedTest(name = "{0} {1}..{2} limit {3}")
  @CsvSource(nullValues = "null", value = {
      "null,   null,                 null, null, REQUESTS, 2026-11-24T10:30:00Z, 2026-11-25T10:30:00Z, 10",
      "errors, -31d,                 now,  3,    ERRORS,   2026-10-25T10:30:00Z, 2026-11-25T10:30:00Z, 3",
      "' 5xx', 2026-11-25T10:00:00Z, -0s,  1000, STATUS_5XX, 2026-11-25T10:00:00Z, 2026-11-25T10:30:00Z, 1000"})
  void shouldReadTheWindowMetricAndLimit(String metric, String from, String to, String limit, Metric ranked,
      Instant start, Instant end, int max) {
    assertThat(TopAppsRequest.parse(metric, from, to, limit, NOW)).isEqualTo(new TopAppsRequest(ranked, start, end, max));
  }

  @ParameterizedTest(name = "{4}")
  @CsvSource(nullValues = "null", value = {
      "null,   now,  -1h, null, must be before to",
      "null,   -32d, now, null, 'is 32 days; an hour rollup covers at most 31 days'",
      "null,   -1h,  now, 0,    'limit is 1 to 1000, not 0'",
      "null,   -1h,  now, 1001, 'limit is 1 to 1000, not 1001'",
      "null,   -1h,  now, ten,  'limit is a whole number of apps (1 to 1000), not ''ten'''",
      "cpu,    -1h,  now, null, 'unknown metric ''cpu''; choose one of errors'",
      "null,   soon, now, null, 'from: cannot read the time ''soon'''"})
  void shouldRefuseTopWithTheReason(String metric, String from, String to, String limit, String reason) {
    assertThatThrownBy(() -> TopAppsRequest.parse(metric, from, to, limit, NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "{0} {1}..{2} by {3}")
  @CsvSource(nullValues = "null", value = {
      "' a1 ', null, null, null,   2026-11-24T10:30:00Z, 2026-11-25T10:30:00Z, HOUR",
      "a1,     -1h,  now,  minute, 2026-11-25T09:30:00Z, 2026-11-25T10:30:00Z, MINUTE"})
  void shouldReadAnAgentUsageRequest(String agent, String from, String to, String granularity, Instant start,
      Instant end, Granularity width) {
    assertThat(AgentUsageRequest.parse(agent, from, to, granularity, NOW))
        .isEqualTo(new AgentUsageRequest("a1", start, end, width));
  }

  @ParameterizedTest(name = "{4}")
  @CsvSource(nullValues = "null", value = {
      "null, -1h, now, hour,   name the agent: agent=ID",
      "' ',  -1h, now, hour,   name the agent: agent=ID",
      "a1,   now, now, hour,   must be before to",
      "a1,   -2d, now, minute, 'is 2 days; a minute rollup covers at most 1 day (ask for granularity=hour)'",
      "a1,   -1h, now, week,   'the granularity is minute or hour, not ''week'''"})
  void shouldRefuseAnAgentUsageRequestWithTheReason(String agent, String from, String to, String granularity,
      String reason) {
    assertThatThrownBy(() -> AgentUsageRequest.parse(agent, from, to, granularity, NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
  }
}
