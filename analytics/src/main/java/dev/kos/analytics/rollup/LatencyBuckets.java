package dev.kos.analytics.rollup;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The latency histogram of docs/analytics.md: key = a bucket's upper bound in whole milliseconds,
 * value = how many requests fell in it. Buckets are 1 ms wide up to 100 ms, 10 ms up to 1 s,
 * 100 ms up to 10 s, 1 s beyond; partial histograms merge by adding counts key by key.
 */
public final class LatencyBuckets {

  /** The last whole-second bucket an int key holds; slower latencies (over 24 days) land in it. */
  static final int LARGEST_BUCKET = Integer.MAX_VALUE / 1000 * 1000;

  private LatencyBuckets() {}

  public static int bucketOf(double latencyMs) {
    if (!(latencyMs >= 0)) {
      throw new IllegalArgumentException("latency must be a number of ms >= 0, got " + latencyMs);
    }
    if (latencyMs <= 100) {
      return (int) Math.ceil(latencyMs);
    }
    if (latencyMs <= 1_000) {
      return (int) Math.ceil(latencyMs / 10) * 10;
    }
    if (latencyMs <= 10_000) {
      return (int) Math.ceil(latencyMs / 100) * 100;
    }
    return (int) Math.min(Math.ceil(latencyMs / 1_000) * 1_000, LARGEST_BUCKET);
  }

  /** Adds the histograms key by key; a null histogram (a null Cassandra map) counts as empty. */
  public static SortedMap<Integer, Long> merge(Collection<? extends Map<Integer, Long>> histograms) {
    TreeMap<Integer, Long> merged = new TreeMap<>();
    for (Map<Integer, Long> histogram : histograms) {
      if (histogram != null) {
        histogram.forEach((bucket, count) -> merged.merge(bucket, count, Long::sum));
      }
    }
    return Collections.unmodifiableSortedMap(merged);
  }

  /**
   * The smallest bucket whose cumulative count reaches {@code ceil(percent / 100 * total)} (at
   * least 1); empty when the histogram counts nothing. {@code percent} is within 0..100.
   */
  public static OptionalInt percentile(Map<Integer, Long> histogram, double percent) {
    if (!(percent >= 0 && percent <= 100)) {
      throw new IllegalArgumentException("percent must be within 0..100, got " + percent);
    }
    SortedMap<Integer, Long> sorted = histogram instanceof SortedMap<Integer, Long> s && s.comparator() == null
        ? s : new TreeMap<>(histogram);
    long total = sorted.values().stream().mapToLong(Long::longValue).sum();
    if (total <= 0) {
      return OptionalInt.empty();
    }
    // percent * total first: exact for whole percents, so 7 % of 100 is rank 7, not 8.
    long rank = Math.max(1, (long) Math.ceil(percent * total / 100));
    long cumulative = 0;
    for (Map.Entry<Integer, Long> bucket : sorted.entrySet()) {
      cumulative += bucket.getValue();
      if (cumulative >= rank) {
        return OptionalInt.of(bucket.getKey());
      }
    }
    throw new IllegalStateException("unreachable: the cumulative count ends at the total " + total);
  }
}
