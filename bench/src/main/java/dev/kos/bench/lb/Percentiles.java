package dev.kos.bench.lb;

import java.util.Arrays;

/** Percentiles of latencies in microseconds. Pure. */
public final class Percentiles {

  private Percentiles() {
  }

  /** The smallest value that at least {@code fraction} of the values do not exceed (nearest rank); -1 if none. */
  public static long of(long[] values, double fraction) {
    if (values.length == 0) {
      return -1;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
