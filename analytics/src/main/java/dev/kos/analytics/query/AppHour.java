package dev.kos.analytics.query;

import java.time.Instant;

/** An app and the start of a UTC hour: the key of an {@code app_hour} row. */
public record AppHour(String app, Instant hour) implements Comparable<AppHour> {

  @Override
  public int compareTo(AppHour other) {
    int byApp = app.compareTo(other.app);
    return byApp != 0 ? byApp : hour.compareTo(other.hour);
  }
}
