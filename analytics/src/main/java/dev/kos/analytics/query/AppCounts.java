package dev.kos.analytics.query;

import dev.kos.analytics.rollup.LatencyBuckets;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The counters of one {@code app_minute} row, or the sum of several (partial rows of a minute,
 * minutes of an hour, a whole window). Columns as docs/analytics.md defines them.
 */
public record AppCounts(
    long lines, long bytes, long malformed,
    long levelError, long levelWarn, long levelInfo, long levelDebug, long levelOther,
    long streamStdout, long streamStderr, long streamSystem,
    long requests, long status2xx, long status3xx, long status4xx, long status5xx,
    Map<Integer, Long> latencyHistogram) {

  public static final AppCounts ZERO = new AppCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());

  public AppCounts {
    latencyHistogram = LatencyBuckets.merge(List.of(latencyHistogram));
  }

  public AppCounts plus(AppCounts other) {
    return new AppCounts(
        lines + other.lines, bytes + other.bytes, malformed + other.malformed,
        levelError + other.levelError, levelWarn + other.levelWarn, levelInfo + other.levelInfo,
        levelDebug + other.levelDebug, levelOther + other.levelOther,
        streamStdout + other.streamStdout, streamStderr + other.streamStderr, streamSystem + other.streamSystem,
        requests + other.requests, status2xx + other.status2xx, status3xx + other.status3xx,
        status4xx + other.status4xx, status5xx + other.status5xx,
        LatencyBuckets.merge(List.of(latencyHistogram, other.latencyHistogram)));
  }

  /** The latency percentile in ms at bucket resolution; empty without requests that had one. */
  public OptionalInt latencyPercentile(double percent) {
    return LatencyBuckets.percentile(latencyHistogram, percent);
  }
}
