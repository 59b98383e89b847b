package dev.kos.bench.placement;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies at one-millisecond resolution, from any thread, in constant memory however many
 * tasks a run launches; anything above {@value #MAX_MILLIS} ms counts as that.
 */
final class LatencyRecorder {
  static final int MAX_MILLIS = 600_000;

  private final AtomicLongArray counts = new AtomicLongArray(MAX_MILLIS + 1);
  private final AtomicLong total = new AtomicLong();

  void record(long millis) {
    counts.incrementAndGet((int) Math.max(0, Math.min(MAX_MILLIS, millis)));
    total.incrementAndGet();
  }

  long count() {
    return total.get();
  }

  /** The smallest latency that at least {@code fraction} of the records do not exceed; -1 without records. */
  long percentile(double fraction) {
    long wanted = (long) Math.ceil(fraction * total.get());
    long seen = 0;
    for (int millis = 0; millis <= MAX_MILLIS; millis++) {
      seen += counts.get(millis);
      if (seen >= Math.max(1, wanted)) {
        return millis;
      }
    }
    return -1;
  }
}
