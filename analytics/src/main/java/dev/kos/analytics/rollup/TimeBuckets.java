package dev.kos.analytics.rollup;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The UTC minute, hour and day buckets rollup rows are keyed by. */
public final class TimeBuckets {

  private static final long MINUTE_MILLIS = 60_000;
  private static final long HOUR_MILLIS = 3_600_000;

  private TimeBuckets() {}

  /** The start of the minute holding {@code epochMillis}, in epoch milliseconds. */
  public static long minuteOf(long epochMillis) {
    return Math.floorDiv(epochMillis, MINUTE_MILLIS) * MINUTE_MILLIS;
  }

  /** The start of the hour holding {@code epochMillis}, in epoch milliseconds. */
  public static long hourOf(long epochMillis) {
    return Math.floorDiv(epochMillis, HOUR_MILLIS) * HOUR_MILLIS;
  }

  /** The UTC date of {@code epochMillis}: the {@code day} of its partition. */
  public static LocalDate dayOf(long epochMillis) {
    return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
  }
}
