package dev.kos.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.analytics.query.HourPlan.Window;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HourPlanTest {

  private static Instant t(String hhmm) {
    return Instant.parse("2026-11-25T" + hhmm + ":00Z");
  }

  private static Window w(String from, String to) {
    return new Window(t(from), t(to));
  }

  static Stream<Arguments> plans() {
    return Stream.of(
        Arguments.of("a whole day: 24 hour rows, no minutes", t("00:00"), Instant.parse("2026-11-26T00:00:00Z"),
            List.of(), Optional.of(new Window(t("00:00"), Instant.parse("2026-11-26T00:00:00Z")))),
        Arguments.of("one whole hour", t("10:00"), t("11:00"), List.of(), Optional.of(w("10:00", "11:00"))),
        Arguments.of("within an hour: minutes only", t("10:05"), t("10:50"), List.of(w("10:05", "10:50")),
            Optional.empty()),
        Arguments.of("the last hour from now (across an hour boundary, no whole hour)", t("09:37"), t("10:37"),
            List.of(w("09:37", "10:37")), Optional.empty()),
        Arguments.of("head and tail minutes around whole hours", t("09:37"), t("13:12"),
            List.of(w("09:37", "10:00"), w("13:00", "13:12")), Optional.of(w("10:00", "13:00"))),
        Arguments.of("the current, partial hour at the end: from its minutes", t("00:00"), t("13:12"),
            List.of(w("13:00", "13:12")), Optional.of(w("00:00", "13:00"))),
        Arguments.of("an empty window reads nothing", t("10:00"), t("10:00"), List.of(), Optional.empty()),
        Arguments.of("a backwards window reads nothing", t("11:00"), t("10:00"), List.of(), Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void shouldReadWholeHoursFromHourRowsAndTheRestFromMinutes(String name, Instant from, Instant to,
      List<Window> minutes, Optional<Window> hours) {
    assertThat(HourPlan.of(from, to)).isEqualTo(new HourPlan(minutes, hours));
  }

  static Stream<Arguments> gaps() {
    return Stream.of(
        Arguments.of("every hour has a row", List.of("10:00", "11:00", "12:00"), List.of()),
        Arguments.of("no hour has a row: one run", List.of(), List.of(w("10:00", "13:00"))),
        Arguments.of("a gap in the middle", List.of("10:00", "12:00"), List.of(w("11:00", "12:00"))),
        Arguments.of("gaps at both ends", List.of("11:00"), List.of(w("10:00", "11:00"), w("12:00", "13:00"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gaps")
  void shouldReadTheMinutesOfHoursWithoutARowInRuns(String name, List<String> present, List<Window> expected) {
    assertThat(HourPlan.missing(w("10:00", "13:00"), present.stream().map(HourPlanTest::t).toList()))
        .isEqualTo(expected);
  }
}
