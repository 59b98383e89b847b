package dev.kos.analytics.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The minute and hour rows of one keyspace in memory, with the store's upsert semantics: a row written again under
 * the same key replaces the old one. A harness for {@link HourRows}: a test can crash it after a number of
 * hour writes, or lose an hour row's last write (as a node that died before the write was durable).
 */
final class InMemoryRollupStore implements HourRows.Store {

  private record MinuteKey(String app, Instant minute, long batchId) {}

  private final Map<MinuteKey, AppCounts> minutes = new HashMap<>();
  final Map<AppHour, AppHourRow> hours = new TreeMap<>();
  private final Map<AppHour, AppHourRow> previous = new HashMap<>();
  /** Hour writes left before the store "crashes" (throws); negative: never. */
  private int writesBeforeCrash = -1;

  static final class Crash extends RuntimeException {
    Crash() {
      super("crashed");
    }
  }

  void writeMinutes(List<AppMinuteRow> rows) {
    rows.forEach(row -> minutes.put(new MinuteKey(row.app(), row.minute(), row.batchId()), row.counts()));
  }

  void crashAfterHourWrites(int writes) {
    writesBeforeCrash = writes;
  }

  List<AppMinuteRow> minuteRows() {
    List<AppMinuteRow> rows = new ArrayList<>();
    minutes.forEach((key, counts) -> rows.add(new AppMinuteRow(key.app(), key.minute(), key.batchId(), counts)));
    return rows;
  }

  /** Puts the hour's row back as it was before its last write (none if that was the first). */
  void loseLastWrite(AppHour hour) {
    AppHourRow before = previous.remove(hour);
    if (before == null) {
      hours.remove(hour);
    } else {
      hours.put(hour, before);
    }
  }

  @Override
  public AppCounts minuteSum(AppHour hour) {
    return minuteRows().stream().filter(row -> row.app().equals(hour.app())
            && Granularity.HOUR.bucketOf(row.minute()).equals(hour.hour()))
        .map(AppMinuteRow::counts).reduce(AppCounts.ZERO, AppCounts::plus);
  }

  @Override
  public void write(AppHourRow row) {
    if (writesBeforeCrash == 0) {
      writesBeforeCrash = -1;
      throw new Crash();
    }
    if (writesBeforeCrash > 0) {
      writesBeforeCrash--;
    }
    AppHour hour = new AppHour(row.app(), row.hour());
    AppHourRow before = hours.put(hour, row);
    if (before == null) {
      previous.remove(hour);
    } else {
      previous.put(hour, before);
    }
  }

  /** The rows of one app as {@link HourPlan#read} reads them. */
  HourPlan.Rows rowsOf(String app) {
    return new HourPlan.Rows() {
      @Override
      public List<AppHourRow> hours(HourPlan.Window window) {
        return hours.values().stream().filter(row -> row.app().equals(app) && within(row.hour(), window)).toList();
      }

      @Override
      public List<AppMinuteRow> minutes(HourPlan.Window window) {
        return minuteRows().stream().filter(row -> row.app().equals(app) && within(row.minute(), window)).toList();
      }
    };
  }

  private static boolean within(Instant start, HourPlan.Window window) {
    return !start.isBefore(window.from()) && start.isBefore(window.to());
  }

  /** The hour rows' counts by app and hour. */
  Map<AppHour, AppCounts> hourCounts() {
    Map<AppHour, AppCounts> counts = new TreeMap<>();
    hours.forEach((key, row) -> counts.put(key, row.counts()));
    return counts;
  }
}
