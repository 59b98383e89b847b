package dev.kos.analytics.query;

import dev.kos.analytics.rollup.TimeBuckets;
import java.time.Instant;
import java.util.Locale;

/** The width of the rows a rollup query returns. */
public enum Granularity {
  MINUTE,
  HOUR;

  public Instant bucketOf(Instant minute) {
    long millis = minute.toEpochMilli();
    return Instant.ofEpochMilli(this == MINUTE ? TimeBuckets.minuteOf(millis) : TimeBuckets.hourOf(millis));
  }

  /** {@code minute} or {@code hour}, any case; the error names both. */
  public static Granularity parse(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "minute" -> MINUTE;
      case "hour" -> HOUR;
      default -> throw new IllegalArgumentException("the granularity is minute or hour, not '" + text + "'");
    };
  }
}
