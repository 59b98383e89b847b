package dev.kos.bus.client;

import java.time.Duration;

/** A duration as the duration flags read it, in the largest unit that writes it exactly: 30s, 7d, 1500ms. Pure. */
public final class DurationText {

  private static final long SECOND = 1_000;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;

  private DurationText() {
  }

  public static String of(Duration duration) {
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0s";
    }
    for (long unit : new long[] {DAY, HOUR, MINUTE, SECOND}) {
      if (millis % unit == 0) {
        return millis / unit + suffix(unit);
      }
    }
    return millis + "ms";
  }

  private static String suffix(long unit) {
    if (unit == DAY) {
      return "d";
    }
    if (unit == HOUR) {
      return "h";
    }
    return unit == MINUTE ? "m" : "s";
  }
}
