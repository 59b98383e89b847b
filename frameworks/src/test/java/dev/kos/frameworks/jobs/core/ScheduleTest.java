package dev.kos.frameworks.jobs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Cron and {@code @every} expressions: when each fires next, and what a mistake says. */
class ScheduleTest {

  /** Monday 2 March 2026, 12:03 UTC. */
  private static final String MONDAY = "2026-03-02T12:03:00Z";

  record Fires(String expression, String after, String next) {
  }

  record Rejected(String expression, String message) {
  }

  static Stream<Fires> fires() {
    return Stream.of(
        new Fires("* * * * *", MONDAY, "2026-03-02T12:04:00Z"),
        new Fires("* * * * *", "2026-03-02T12:03:30Z", "2026-03-02T12:04:00Z"),
        new Fires("*/5 * * * *", MONDAY, "2026-03-02T12:05:00Z"),
        new Fires("0 * * * *", MONDAY, "2026-03-02T13:00:00Z"),
        new Fires("30 2 * * *", MONDAY, "2026-03-03T02:30:00Z"),
        new Fires("0 0 1 * *", MONDAY, "2026-04-01T00:00:00Z"),
        new Fires("0 9 * * 1-5", MONDAY, "2026-03-03T09:00:00Z"),
        new Fires("0 9 * * 0", MONDAY, "2026-03-08T09:00:00Z"),
        new Fires("0 9 * * 7", MONDAY, "2026-03-08T09:00:00Z"),
        new Fires("15,45 * * * *", MONDAY, "2026-03-02T12:15:00Z"),
        new Fires("0-10/5 13 * * *", MONDAY, "2026-03-02T13:00:00Z"),
        new Fires("5/20 * * * *", "2026-03-02T12:05:00Z", "2026-03-02T12:25:00Z"),
        new Fires("0 0 29 2 *", MONDAY, "2028-02-29T00:00:00Z"),
        // Vixie cron: a day-of-week field that starts with '*' ANDs with the day of month, so this is
        // 4 September on a Sunday, seven years away (jqwik found the search gave up after five).
        new Fires("* * 4 9 */7", "2026-01-01T00:00:00Z", "2033-09-04T00:00:00Z"),
        new Fires("0 0 29 2 1", MONDAY, "2027-02-01T00:00:00Z"),
        new Fires("0 0 13 * 5", MONDAY, "2026-03-06T00:00:00Z"),
        new Fires("0 12 * 12 *", MONDAY, "2026-12-01T12:00:00Z"),
        new Fires("59 23 31 12 *", "2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z"),
        new Fires("@every 30s", MONDAY, "2026-03-02T12:03:30Z"),
        new Fires("@every 30s", "2026-03-02T12:03:10Z", "2026-03-02T12:03:30Z"),
        new Fires("@every 1h", MONDAY, "2026-03-02T13:00:00Z"));
  }

  @ParameterizedTest
  @MethodSource("fires")
  void shouldFireNextAt(Fires row) {
    assertThat(Schedule.parse(row.expression()).nextAfter(Instant.parse(row.after())))
        .contains(Instant.parse(row.next()));
  }

  static Stream<Rejected> rejected() {
    return Stream.of(
        new Rejected("", "has 0 fields; a cron expression has 5"),
        new Rejected("* * * *", "has 4 fields"),
        new Rejected("61 * * * *", "minute field '61' is out of range 0-59"),
        new Rejected("* 24 * * *", "hour field '24' is out of range 0-23"),
        new Rejected("* * 0 * *", "day of month field '0' is out of range 1-31"),
        new Rejected("* * * 13 *", "month field '13' is out of range 1-12"),
        new Rejected("* * * * 8", "day of week field '8' is out of range 0-7"),
        new Rejected("*/0 * * * *", "has step 0"),
        new Rejected("5-1 * * * *", "runs backwards"),
        new Rejected("1/2/3 * * * *", "more than one '/'"),
        new Rejected("a * * * *", "minute field 'a' is not a number"),
        new Rejected("1,,2 * * * *", "minute field '' is not a number"),
        new Rejected("@every 0s", "at least 1s"),
        new Rejected("@daily", "neither a 5-field cron expression nor '@every"));
  }

  @ParameterizedTest
  @MethodSource("rejected")
  void shouldRejectWithAReason(Rejected row) {
    assertThatThrownBy(() -> Schedule.parse(row.expression())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(row.message());
  }

  @org.junit.jupiter.api.Test
  void shouldSayWhenAnExpressionNeverFires() {
    assertThat(Schedule.parse("0 0 30 2 *").nextAfter(Instant.parse(MONDAY))).isEmpty();
  }
}
