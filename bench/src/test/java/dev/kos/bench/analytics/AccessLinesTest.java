package dev.kos.bench.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.analytics.rollup.ClassifiedLine;
import dev.kos.analytics.rollup.LogLineClassifier;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class AccessLinesTest {

  private static final Instant START = Instant.parse("2026-12-06T21:00:00Z");

  @Test
  void shouldWriteLinesTheRollupCountsAsAccessLinesWithTheirStatus() {
    AccessLines lines = new AccessLines(45, START, Duration.ofDays(1), 4);
    Map<Integer, Long> byClass = new TreeMap<>();
    for (long i = 0; i < lines.count(); i++) {
      ClassifiedLine classified = LogLineClassifier.classify(lines.line(i));
      assertThat(classified.access()).as(lines.line(i)).isPresent();
      byClass.merge(classified.access().orElseThrow().status() / 100, 1L, Long::sum);
    }
    assertThat(byClass).containsEntry(2, lines.withStatusClass(2)).containsEntry(4, lines.withStatusClass(4))
        .containsEntry(5, lines.withStatusClass(5));
    assertThat(lines.withStatusClass(2) + lines.withStatusClass(4) + lines.withStatusClass(5)).isEqualTo(45);
  }

  @Test
  void shouldSpreadTheLinesOverTheWholeWindowWithoutLeavingIt() {
    AccessLines lines = new AccessLines(1_440_000, START, Duration.ofDays(1), 12);
    assertThat(lines.timestamp(0)).isEqualTo(START);
    assertThat(lines.timestamp(lines.count() - 1)).isBefore(lines.end()).isAfter(lines.end().minusSeconds(1));
    // Every minute of the day gets lines, so a day's query reads a day of minutes.
    assertThat(LongStream.range(0, lines.count()).mapToObj(lines::timestamp)
        .map(t -> t.getEpochSecond() / 60).distinct().count()).isEqualTo(1440);
  }

  @Test
  void shouldKeyTheLinesByTask() {
    AccessLines lines = new AccessLines(10, START, Duration.ofHours(1), 3);
    assertThat(LongStream.range(0, 10).mapToObj(lines::task).distinct()).hasSize(3);
  }
}
