package dev.kos.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeArgumentTest {

  private static final Instant NOW = Instant.parse("2026-11-25T10:30:00Z");

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "now,                  2026-11-25T10:30:00Z",
      "NOW,                  2026-11-25T10:30:00Z",
      "-1h,                  2026-11-25T09:30:00Z",
      "1h,                   2026-11-25T09:30:00Z",
      "30m,                  2026-11-25T10:00:00Z",
      "-90s,                 2026-11-25T10:28:30Z",
      "7d,                   2026-11-18T10:30:00Z",
      "2026-11-24T00:00:00Z, 2026-11-24T00:00:00Z"})
  void shouldReadNowAgesAndInstants(String text, Instant expected) {
    assertThat(TimeArgument.parse(text, NOW)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "yesterday", "1w", "-h", "2026-11-24"})
  void shouldSayHowToWriteATime(String text) {
    assertThatThrownBy(() -> TimeArgument.parse(text, NOW)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("write now, an age like -1h");
  }
}
