package dev.kos.cli.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FormatsTest {

  private static final Instant NOW = Instant.parse("2026-11-25T05:00:00Z");

  static Stream<Arguments> ages() {
    return Stream.of(
        Arguments.of("a time in the future counts as now", Duration.ofSeconds(-5), "0s"),
        Arguments.of("seconds below a minute", Duration.ofMillis(59_999), "59s"),
        Arguments.of("whole minutes", Duration.ofSeconds(150), "2m"),
        Arguments.of("hours up to two days", Duration.ofHours(47), "47h"),
        Arguments.of("days beyond", Duration.ofDays(9).plusHours(5), "9d"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ages")
  void shouldWriteAnAgeInItsLargestWholeUnit(String name, Duration ago, String expected) {
    assertThat(Formats.age(NOW.minus(ago), NOW)).isEqualTo(expected);
  }

  static Stream<Arguments> durations() {
    return Stream.of(
        Arguments.of(Duration.ZERO, "0s"),
        Arguments.of(Duration.ofSeconds(30), "30s"),
        Arguments.of(Duration.ofSeconds(90), "90s"),
        Arguments.of(Duration.ofMinutes(5), "5m"),
        Arguments.of(Duration.ofDays(7), "7d"),
        Arguments.of(Duration.ofMillis(1500), "1500ms"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("durations")
  void shouldWriteADurationExactlyInTheLargestUnitThatFits(Duration duration, String expected) {
    assertThat(Formats.duration(duration)).isEqualTo(expected);
  }

  static Stream<Arguments> numbers() {
    return Stream.of(
        Arguments.of(4.0, "4"),
        Arguments.of(0.5, "0.5"),
        Arguments.of(1.0 / 3, "0.33"),
        Arguments.of(8192.0, "8192"),
        Arguments.of(0.0, "0"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("numbers")
  void shouldWriteQuantitiesWithoutTrailingZeros(double value, String expected) {
    assertThat(Formats.number(value)).isEqualTo(expected);
  }
}
