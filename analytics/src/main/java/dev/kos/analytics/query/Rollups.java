package dev.kos.analytics.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The pure arithmetic of the queries: partial rows in, sums out. */
public final class Rollups {

  private Rollups() {}

  /** Sums the partial rows into one row per bucket, oldest first; buckets without rows are absent. */
  public static List<AppRollup> byBucket(Collection<AppMinuteRow> rows, Granularity granularity) {
    return merged(rows.stream().map(row -> new AppRollup(row.minute(), row.counts())).toList(), granularity);
  }

  /**
   * Sums rows that each cover a minute or a whole hour (minute rows, hour rows) into one row per bucket, oldest
   * first; an hour row goes to its hour, so hour rows only make sense with {@link Granularity#HOUR}.
   */
  public static List<AppRollup> merged(Collection<AppRollup> rows, Granularity granularity) {
    Map<Instant, AppCounts> buckets = new TreeMap<>();
    for (AppRollup row : rows) {
      buckets.merge(granularity.bucketOf(row.start()), row.counts(), AppCounts::plus);
    }
    List<AppRollup> rollups = new ArrayList<>();
    buckets.forEach((start, counts) -> rollups.add(new AppRollup(start, counts)));
    return List.copyOf(rollups);
  }

  /** What minute rows add to each app's hours: the sum of the rows of each app and hour, by app then hour. */
  public static SortedMap<AppHour, AppCounts> hourTotals(Collection<AppMinuteRow> rows) {
    SortedMap<AppHour, AppCounts> hours = new TreeMap<>();
    for (AppMinuteRow row : rows) {
      hours.merge(new AppHour(row.app(), Granularity.HOUR.bucketOf(row.minute())), row.counts(), AppCounts::plus);
    }
    return hours;
  }

  public static AppCounts total(Collection<AppMinuteRow> rows) {
    return rows.stream().map(AppMinuteRow::counts).reduce(AppCounts.ZERO, AppCounts::plus);
  }

  public static AppCounts totalOf(Collection<AppRollup> rows) {
    return rows.stream().map(AppRollup::counts).reduce(AppCounts.ZERO, AppCounts::plus);
  }

  /** Highest first, ties by app name; apps whose total is zero are left out. */
  public static List<AppTotal> top(Map<String, AppCounts> totalsByApp, Metric metric, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    return totalsByApp.entrySet().stream()
        .map(entry -> new AppTotal(entry.getKey(), metric.valueOf(entry.getValue())))
        .filter(total -> total.value() > 0)
        .sorted(Comparator.comparingLong(AppTotal::value).reversed().thenComparing(AppTotal::app))
        .limit(limit)
        .toList();
  }
}
