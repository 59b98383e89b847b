package dev.kos.bench.lb;

import java.util.Arrays;
import java.util.List;

/**
 * The delays of one kind of health flip (an instance turning healthy, or unhealthy) until kos lb was seen to route
 * to it, or to stop: p50, p99 and the longest over the flips it saw, and how many it did not see within the bound.
 * Pure.
 *
 * @param observed how many flips were seen
 * @param missed how many were not seen within the bound (a benchmark with any is not a result)
 */
public record FlipDelays(int observed, int missed, long p50Micros, long p99Micros, long maxMicros) {

  /** @param delaysMicros each flip's delay, or a negative value for a flip not seen within the bound */
  public static FlipDelays of(List<Long> delaysMicros) {
    long[] seen = delaysMicros.stream().mapToLong(Long::longValue).filter(d -> d >= 0).toArray();
    int missed = delaysMicros.size() - seen.length;
    return new FlipDelays(seen.length, missed, Percentiles.of(seen, 0.5), Percentiles.of(seen, 0.99),
        Arrays.stream(seen).max().orElse(-1));
  }
}
