package dev.kos.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollupsTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  private static AppCounts lines(long lines, long errors, Map<Integer, Long> histogram) {
    long requests = histogram.values().stream().mapToLong(Long::longValue).sum();
    return new AppCounts(lines, lines * 10, 0, errors, 0, lines - errors, 0, 0, lines, 0, 0,
        requests, requests, 0, 0, 0, histogram);
  }

  private static AppMinuteRow row(int minute, long batch, AppCounts counts) {
    return new AppMinuteRow("web", T0.plusSeconds(60L * minute), batch, counts);
  }

  @Test
  void shouldAddThePartialRowsOfAMinute() {
    List<AppRollup> rollups = Rollups.byBucket(List.of(
        row(0, 1, lines(3, 1, Map.of(5, 2L))),
        row(0, 2, lines(4, 0, Map.of(5, 1L, 40, 1L))),
        row(1, 2, lines(1, 1, Map.of()))), Granularity.MINUTE);

    assertThat(rollups).extracting(AppRollup::start).containsExactly(T0, T0.plusSeconds(60));
    AppCounts first = rollups.get(0).counts();
    assertThat(first.lines()).isEqualTo(7);
    assertThat(first.bytes()).isEqualTo(70);
    assertThat(first.levelError()).isEqualTo(1);
    assertThat(first.requests()).isEqualTo(4);
    assertThat(first.latencyHistogram()).containsExactly(Map.entry(5, 3L), Map.entry(40, 1L));
    assertThat(first.latencyPercentile(75)).hasValue(5);
    assertThat(first.latencyPercentile(76)).hasValue(40);
  }

  @Test
  void shouldAddMinutesIntoHoursOldestFirst() {
    List<AppRollup> rollups = Rollups.byBucket(List.of(
        row(61, 1, lines(2, 0, Map.of())),
        row(59, 1, lines(1, 0, Map.of())),
        row(0, 1, lines(1, 0, Map.of()))), Granularity.HOUR);

    assertThat(rollups).extracting(AppRollup::start).containsExactly(T0, T0.plusSeconds(3600));
    assertThat(rollups).extracting(rollup -> rollup.counts().lines()).containsExactly(2L, 2L);
  }

  @Test
  void shouldRankByTheMetricThenByNameAndLeaveOutZeros() {
    Map<String, AppCounts> totals = Map.of(
        "b", lines(5, 2, Map.of()),
        "a", lines(9, 2, Map.of()),
        "c", lines(1, 3, Map.of()),
        "quiet", lines(8, 0, Map.of()));

    assertThat(Rollups.top(totals, Metric.ERRORS, 10))
        .containsExactly(new AppTotal("c", 3), new AppTotal("a", 2), new AppTotal("b", 2));
    assertThat(Rollups.top(totals, Metric.LINES, 2)).containsExactly(new AppTotal("a", 9), new AppTotal("quiet", 8));
  }

  @Test
  void shouldParseMetricsByTheirCliNames() {
    assertThat(Metric.parse("5xx")).isEqualTo(Metric.STATUS_5XX);
    assertThat(Metric.parse("Errors")).isEqualTo(Metric.ERRORS);
    assertThat(Metric.parse("status_5xx")).isEqualTo(Metric.STATUS_5XX);
  }

  @Test
  void shouldListTheUtcDaysAHalfOpenWindowTouches() {
    Instant midnight = Instant.parse("2026-11-26T00:00:00Z");

    assertThat(RollupQueries.days(midnight.minusSeconds(60), midnight)).hasSize(1);
    assertThat(RollupQueries.days(midnight.minusSeconds(60), midnight.plusSeconds(60))).hasSize(2);
    assertThat(RollupQueries.days(midnight, midnight)).isEmpty();
  }
}
