package dev.kos.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HourRowsTest {

  private static final Instant TEN = Instant.parse("2026-11-25T10:00:00Z");
  private static final Instant ELEVEN = TEN.plusSeconds(3600);

  private static AppCounts lines(long lines) {
    return new AppCounts(lines, lines * 10, 0, 0, 0, lines, 0, 0, lines, 0, 0, lines, lines, 0, 0, 0,
        Map.of(5, lines));
  }

  private static AppMinuteRow minute(String app, int minute, long batch, long lines) {
    return new AppMinuteRow(app, TEN.plusSeconds(60L * minute), batch, lines(lines));
  }

  private static InMemoryRollupStore afterBatches(List<List<AppMinuteRow>> batches) {
    InMemoryRollupStore store = new InMemoryRollupStore();
    for (int batch = 0; batch < batches.size(); batch++) {
      store.writeMinutes(batches.get(batch));
      HourRows.applyBatch(batch, batches.get(batch), store);
    }
    return store;
  }

  @Test
  void shouldWriteEachHourTheBatchTouchedAsTheSumOfAllItsMinuteRows() {
    InMemoryRollupStore store = afterBatches(List.of(
        List.of(minute("web", 5, 0, 2), minute("web", 65, 0, 3)),
        List.of(minute("web", 6, 1, 4), minute("web", 5, 1, 1), minute("api", 7, 1, 1))));

    assertThat(store.hours).containsExactly(
        Map.entry(new AppHour("api", TEN), new AppHourRow("api", TEN, 1, lines(1))),
        Map.entry(new AppHour("web", TEN), new AppHourRow("web", TEN, 1, lines(7))),
        Map.entry(new AppHour("web", ELEVEN), new AppHourRow("web", ELEVEN, 0, lines(3))));
  }

  @Test
  void shouldCountMinuteRowsWrittenBeforeHourRowsExisted() {
    InMemoryRollupStore store = new InMemoryRollupStore();
    store.writeMinutes(List.of(minute("web", 1, 0, 10), minute("web", 2, 1, 20)));
    List<AppMinuteRow> batch = List.of(minute("web", 3, 2, 1));
    store.writeMinutes(batch);

    assertThat(HourRows.applyBatch(2, batch, store)).containsExactly(new AppHourRow("web", TEN, 2, lines(31)));
  }

  @Test
  void shouldWriteTheSameRowsWhenABatchIsReplayedAfterACrashBetweenTwoHours() {
    InMemoryRollupStore store = afterBatches(List.of(List.of(minute("web", 5, 0, 2), minute("web", 65, 0, 3))));
    List<AppMinuteRow> second = List.of(minute("web", 6, 1, 4), minute("web", 66, 1, 5), minute("api", 7, 1, 1));
    store.writeMinutes(second);
    store.crashAfterHourWrites(1);

    assertThatThrownBy(() -> HourRows.applyBatch(1, second, store)).isInstanceOf(InMemoryRollupStore.Crash.class);
    store.writeMinutes(second);
    HourRows.applyBatch(1, second, store);

    assertThat(store.hourCounts()).isEqualTo(Map.of(
        new AppHour("api", TEN), lines(1),
        new AppHour("web", TEN), lines(6),
        new AppHour("web", ELEVEN), lines(8)));
  }

  @Test
  void shouldPutRightAnHourRowALostWriteLeftBehindAtTheNextBatchInThatHour() {
    InMemoryRollupStore store = afterBatches(List.of(List.of(minute("web", 5, 0, 2)), List.of(minute("web", 6, 1, 4))));
    store.loseLastWrite(new AppHour("web", TEN));
    assertThat(store.hourCounts()).containsEntry(new AppHour("web", TEN), lines(2));

    List<AppMinuteRow> third = List.of(minute("web", 7, 2, 1));
    store.writeMinutes(third);
    HourRows.applyBatch(2, third, store);

    assertThat(store.hourCounts()).containsEntry(new AppHour("web", TEN), lines(7));
  }
}
