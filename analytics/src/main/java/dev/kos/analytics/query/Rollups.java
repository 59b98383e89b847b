package dev.kos.analytics.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The pure arithmetic of the queries: partial rows in, sums out. */
public final class Rollups {

  private Rollups() {}

  /** Sums the partial rows into one row per bucket, oldest first; buckets without rows are absent. */
  public static List<AppRollup> byBucket(Collection<AppMinuteRow> rows, Granularity granularity) {
    Map<Instant, AppCounts> buckets = new TreeMap<>();
    for (AppMinuteRow row : rows) {
      buckets.merge(granularity.bucketOf(row.minute()), row.counts(), AppCounts::plus);
    }
    List<AppRollup> rollups = new ArrayList<>();
    buckets.forEach((start, counts) -> rollups.add(new AppRollup(start, counts)));
    return List.copyOf(rollups);
  }

  public static AppCounts total(Collection<AppMinuteRow> rows) {
    return rows.stream().map(AppMinuteRow::counts).reduce(AppCounts.ZERO, AppCounts::plus);
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
