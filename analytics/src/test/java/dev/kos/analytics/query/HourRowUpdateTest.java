package dev.kos.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HourRowUpdateTest {

  private static final Instant TEN = Instant.parse("2026-11-25T10:00:00Z");
  private static final AppCounts FROM_MINUTES = lines(9);

  private static AppCounts lines(long lines) {
    return new AppCounts(lines, lines * 10, 0, 0, 0, lines, 0, 0, lines, 0, 0, lines, lines, 0, 0, 0,
        Map.of(5, lines));
  }

  private static Optional<AppHourRow> row(long lastBatch, long lines) {
    return Optional.of(new AppHourRow("web", TEN, lastBatch, lines(lines)));
  }

  static Stream<Arguments> decisions() {
    return Stream.of(
        Arguments.of("no row yet: the sum of the hour's minute rows, the batch's own included",
            Optional.empty(), 7L, new HourRowUpdate.Write(FROM_MINUTES, 7, HourRowUpdate.Reason.STARTED_FROM_MINUTES)),
        Arguments.of("a row of an earlier batch: the row plus the batch",
            row(6, 4), 7L, new HourRowUpdate.Write(lines(7), 7, HourRowUpdate.Reason.ADDED_BATCH)),
        Arguments.of("a row of batches long before: the row plus the batch",
            row(0, 4), 7L, new HourRowUpdate.Write(lines(7), 7, HourRowUpdate.Reason.ADDED_BATCH)),
        Arguments.of("the batch replayed after it wrote the row: nothing",
            row(7, 4), 7L, new HourRowUpdate.AlreadyCounted(7)),
        Arguments.of("a row of a later batch (a replay never sees one; left alone)",
            row(9, 4), 7L, new HourRowUpdate.AlreadyCounted(9)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void shouldDecideFromTheRowAsItIs(String name, Optional<AppHourRow> row, long batch, HourRowUpdate expected) {
    assertThat(HourRowUpdate.decide(row, batch, lines(3), () -> FROM_MINUTES)).isEqualTo(expected);
  }

  @Test
  void shouldReadTheMinuteRowsOnlyForAnHourWithoutARow() {
    HourRowUpdate update = HourRowUpdate.decide(row(6, 4), 7, lines(3), () -> {
      throw new AssertionError("read the minutes of an hour that has a row");
    });

    assertThat(update).isEqualTo(new HourRowUpdate.Write(lines(7), 7, HourRowUpdate.Reason.ADDED_BATCH));
  }

  @Test
  void shouldAddABatchOnceThoughItIsReplayedAfterACrashBetweenTwoHours() {
    InMemoryRollupStore store = new InMemoryRollupStore();
    List<AppMinuteRow> first = List.of(minute("web", 5, 0, 2), minute("web", 65, 0, 3));
    store.writeMinutes(first);
    HourRowUpdate.applyBatch(0, first, store);
    List<AppMinuteRow> second = List.of(minute("web", 6, 1, 4), minute("web", 66, 1, 5), minute("api", 7, 1, 1));
    store.writeMinutes(second);
    store.crashAfterHourWrites(1);

    assertThatThrownBy(() -> HourRowUpdate.applyBatch(1, second, store)).isInstanceOf(InMemoryRollupStore.Crash.class);
    store.writeMinutes(second);
    HourRowUpdate.Result replay = HourRowUpdate.applyBatch(1, second, store);

    assertThat(replay).isEqualTo(new HourRowUpdate.Result(0, 2, 1));
    assertThat(store.hourCounts()).isEqualTo(Map.of(
        new AppHour("api", TEN), lines(1),
        new AppHour("web", TEN), lines(6),
        new AppHour("web", TEN.plusSeconds(3600)), lines(8)));
  }

  @Test
  void shouldStartAnHourFromMinuteRowsWrittenBeforeHourRowsExisted() {
    InMemoryRollupStore store = new InMemoryRollupStore();
    store.writeMinutes(List.of(minute("web", 1, 0, 10), minute("web", 2, 1, 20)));
    List<AppMinuteRow> batch = List.of(minute("web", 3, 2, 1));
    store.writeMinutes(batch);

    assertThat(HourRowUpdate.applyBatch(2, batch, store)).isEqualTo(new HourRowUpdate.Result(1, 0, 0));
    assertThat(store.hours.get(new AppHour("web", TEN))).isEqualTo(new AppHourRow("web", TEN, 2, lines(31)));
  }

  private static AppMinuteRow minute(String app, int minute, long batch, long lines) {
    return new AppMinuteRow(app, TEN.plusSeconds(60L * minute), batch, lines(lines));
  }
}
