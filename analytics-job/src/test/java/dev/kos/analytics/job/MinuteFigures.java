package dev.kos.analytics.job;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one app and minute, summed over partial rows: every bigint column of
 * {@code app_minute} by name, and the latency histogram. Mutable, for the tests to add into.
 */
final class MinuteFigures {

  static final List<String> COLUMNS = List.of("lines", "bytes", "malformed", "level_error", "level_warn", "level_info",
      "level_debug", "level_other", "stream_stdout", "stream_stderr", "stream_system", "requests",
      "status_2xx", "status_3xx", "status_4xx", "status_5xx");

  final Map<String, Long> counts = new TreeMap<>();
  final Map<Integer, Long> latencyHistogram = new TreeMap<>();

  MinuteFigures() {
    COLUMNS.forEach(column -> counts.put(column, 0L));
  }

  MinuteFigures add(String column, long amount) {
    if (!counts.containsKey(column)) {
      throw new IllegalArgumentException("no column " + column);
    }
    counts.merge(column, amount, Long::sum);
    return this;
  }

  void addLatency(int bucket, long count) {
    latencyHistogram.merge(bucket, count, Long::sum);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MinuteFigures other && counts.equals(other.counts) && latencyHistogram.equals(other.latencyHistogram);
  }

  @Override
  public int hashCode() {
    return counts.hashCode() * 31 + latencyHistogram.hashCode();
  }

  @Override
  public String toString() {
    return counts + " latency " + latencyHistogram;
  }
}
