package dev.kos.analytics.query;

import java.time.Instant;
import java.util.OptionalInt;

/** HTTP access-log figures of an app over [from, to); latencies in ms at bucket resolution. */
public record HttpSummary(
    String app, Instant from, Instant to,
    long requests, long status2xx, long status3xx, long status4xx, long status5xx,
    OptionalInt p50, OptionalInt p95, OptionalInt p99) {

  static HttpSummary of(String app, Instant from, Instant to, AppCounts counts) {
    return new HttpSummary(app, from, to, counts.requests(), counts.status2xx(), counts.status3xx(),
        counts.status4xx(), counts.status5xx(),
        counts.latencyPercentile(50), counts.latencyPercentile(95), counts.latencyPercentile(99));
  }
}
