package dev.kos.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random lines over two days rolled up batch by batch, some batches crashing part-way through their hour rows and
 * replayed, some rolled up before hour rows existed: every hour row holds exactly its minute rows, and any window
 * read through {@link HourPlan} counts every line in it once.
 */
class HourRollupPropertiesTest {

  private static final Instant START = Instant.parse("2026-11-25T00:00:00Z");
  private static final int MINUTES = 2 * 24 * 60;

  /** {@code lines} log lines of an app in a minute, each an HTTP request with latency bucket {@code bucket}. */
  record Line(String app, int minute, long lines, int bucket) {}

  @Provide
  Arbitrary<List<List<Line>>> batches() {
    Arbitrary<Line> line = Combinators.combine(Arbitraries.of("web", "api", "-"),
        Arbitraries.oneOf(Arbitraries.integers().between(0, MINUTES - 1), Arbitraries.of(0, 59, 60, 1439, 1440)),
        Arbitraries.longs().between(1, 5), Arbitraries.of(1, 5, 40, 250, 3000)).as(Line::new);
    return line.list().ofMaxSize(25).list().ofMinSize(1).ofMaxSize(8);
  }

  /** Per batch: how many hour rows it writes before it crashes (then it is replayed); -1 never. */
  @Provide
  Arbitrary<List<Integer>> crashes() {
    return Arbitraries.integers().between(-1, 6).list().ofMinSize(8).ofMaxSize(8);
  }

  @Property(tries = 100)
  void everyHourRowHoldsExactlyItsMinuteRows(@ForAll("batches") List<List<Line>> batches,
      @ForAll @IntRange(min = 0, max = 8) int hourRowsFromBatch, @ForAll("crashes") List<Integer> crashes) {
    InMemoryRollupStore store = rollUp(batches, hourRowsFromBatch, crashes);

    Set<AppHour> touchedSince = new TreeSet<>();
    for (int batch = hourRowsFromBatch; batch < batches.size(); batch++) {
      touchedSince.addAll(Rollups.hourTotals(minuteRows(batches.get(batch), batch)).keySet());
    }
    assertThat(store.hours.keySet()).isEqualTo(touchedSince);
    Map<AppHour, AppCounts> allMinutesByHour = Rollups.hourTotals(store.minuteRows());
    store.hours.forEach((hour, row) -> assertThat(row.counts()).as("hour row %s", hour)
        .isEqualTo(allMinutesByHour.get(hour)));
    if (hourRowsFromBatch == 0) {
      assertThat(store.hours.values().stream().map(AppHourRow::counts).reduce(AppCounts.ZERO, AppCounts::plus))
          .as("the sum of the hour rows").isEqualTo(Rollups.total(store.minuteRows()));
    }
  }

  @Property(tries = 100)
  void aWindowOfADayCountsEveryLineInItOnce(@ForAll("batches") List<List<Line>> batches,
      @ForAll @IntRange(min = 0, max = 8) int hourRowsFromBatch, @ForAll("crashes") List<Integer> crashes,
      @ForAll @IntRange(min = 0, max = 1) int day, @ForAll @IntRange(min = 0, max = 1440) int a,
      @ForAll @IntRange(min = 0, max = 1440) int b) {
    InMemoryRollupStore store = rollUp(batches, hourRowsFromBatch, crashes);
    Instant from = START.plusSeconds(60L * (day * 1440 + Math.min(a, b)));
    Instant to = START.plusSeconds(60L * (day * 1440 + Math.max(a, b)));

    for (String app : List.of("web", "api", "-")) {
      AppCounts expected = Rollups.total(store.minuteRows().stream().filter(row -> row.app().equals(app)
          && !row.minute().isBefore(from) && row.minute().isBefore(to)).toList());
      assertThat(Rollups.totalOf(HourPlan.read(from, to, store.rowsOf(app)))).as("%s in [%s, %s)", app, from, to)
          .isEqualTo(expected);
    }
  }

  private static InMemoryRollupStore rollUp(List<List<Line>> batches, int hourRowsFromBatch, List<Integer> crashes) {
    InMemoryRollupStore store = new InMemoryRollupStore();
    for (int batch = 0; batch < batches.size(); batch++) {
      List<AppMinuteRow> rows = minuteRows(batches.get(batch), batch);
      store.writeMinutes(rows);
      if (batch < hourRowsFromBatch) {
        continue; // rolled up before the job wrote hour rows
      }
      int crash = crashes.get(batch);
      if (crash >= 0) {
        store.crashAfterHourWrites(crash);
        try {
          HourRows.applyBatch(batch, rows, store);
        } catch (InMemoryRollupStore.Crash e) {
          // replayed below, as Spark replays a batch that did not commit
        }
        store.crashAfterHourWrites(-1);
        store.writeMinutes(rows);
      }
      HourRows.applyBatch(batch, rows, store);
    }
    return store;
  }

  /** A batch's minute rows: its lines summed per app and minute, keyed by the batch id. */
  private static List<AppMinuteRow> minuteRows(List<Line> lines, long batch) {
    Map<String, Map<Integer, AppCounts>> byAppAndMinute = new HashMap<>();
    for (Line line : lines) {
      AppCounts counts = new AppCounts(line.lines(), line.lines() * 20, 0, 0, 0, line.lines(), 0, 0, line.lines(), 0,
          0, line.lines(), line.lines(), 0, 0, 0, Map.of(line.bucket(), line.lines()));
      byAppAndMinute.computeIfAbsent(line.app(), app -> new HashMap<>()).merge(line.minute(), counts, AppCounts::plus);
    }
    List<AppMinuteRow> rows = new ArrayList<>();
    byAppAndMinute.forEach((app, minutes) -> minutes.forEach((minute, counts) ->
        rows.add(new AppMinuteRow(app, START.plusSeconds(60L * minute), batch, counts))));
    return rows;
  }
}
