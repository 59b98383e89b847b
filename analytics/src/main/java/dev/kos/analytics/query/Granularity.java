package dev.kos.analytics.query;

import dev.kos.analytics.rollup.TimeBuckets;
import java.time.Instant;

/** The width of the rows a rollup query returns. */
public enum Granularity {
  MINUTE,
  HOUR;

  public Instant bucketOf(Instant minute) {
    long millis = minute.toEpochMilli();
    return Instant.ofEpochMilli(this == MINUTE ? TimeBuckets.minuteOf(millis) : TimeBuckets.hourOf(millis));
  }
}
