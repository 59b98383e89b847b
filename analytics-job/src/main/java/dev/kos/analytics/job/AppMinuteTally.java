package dev.kos.analytics.job;

import dev.kos.analytics.rollup.AccessLogEntry;
import dev.kos.analytics.rollup.ClassifiedLine;
import dev.kos.analytics.rollup.LatencyBuckets;
import dev.kos.schema.LogStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The counts of one {@code app_minute} partial row (docs/analytics.md). Mutable on purpose: it is
 * the per-record hot path of the job, which adds hundreds of thousands of lines a second.
 */
final class AppMinuteTally implements Serializable {

  private static final long serialVersionUID = 1L;

  long lines;
  long bytes;
  long malformed;
  /** Indexed by {@link dev.kos.analytics.rollup.Level#ordinal()}. */
  final long[] levels = new long[5];
  /** Indexed by {@link LogStream#ordinal()}: STDOUT, STDERR, SYSTEM. */
  final long[] streams = new long[3];
  long requests;
  /** Indexed by status class minus 2: 2xx, 3xx, 4xx, 5xx. */
  final long[] statusClasses = new long[4];
  final Map<Integer, Long> latencyHistogram = new HashMap<>();

  void addLine(LogStream stream, String line, ClassifiedLine classified) {
    lines++;
    bytes += Utf8.length(line);
    levels[classified.level().ordinal()]++;
    streams[stream.ordinal()]++;
    if (classified.malformed()) {
      malformed++;
    }
    classified.access().ifPresent(this::addRequest);
  }

  /** A Kafka record on the logs topic whose value is not a {@code LogLine}. */
  void addUndecodable() {
    malformed++;
  }

  private void addRequest(AccessLogEntry entry) {
    requests++;
    int statusClass = entry.statusClass();
    if (statusClass >= 2) {
      statusClasses[statusClass - 2]++;
    }
    latencyHistogram.merge(LatencyBuckets.bucketOf(entry.latencyMs()), 1L, Long::sum);
  }

  void addAll(AppMinuteTally other) {
    lines += other.lines;
    bytes += other.bytes;
    malformed += other.malformed;
    addArrays(levels, other.levels);
    addArrays(streams, other.streams);
    requests += other.requests;
    addArrays(statusClasses, other.statusClasses);
    other.latencyHistogram.forEach((bucket, count) -> latencyHistogram.merge(bucket, count, Long::sum));
  }

  private static void addArrays(long[] into, long[] from) {
    for (int i = 0; i < into.length; i++) {
      into[i] += from[i];
    }
  }
}
