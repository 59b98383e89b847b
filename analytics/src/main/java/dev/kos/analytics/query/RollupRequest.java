package dev.kos.analytics.query;

import java.time.Duration;
import java.time.Instant;

/**
 * A rollup asked for by someone else than a person at a terminal (the API): checked before any row is read, so a
 * window that would read months of minute rows is refused with the reason rather than served slowly.
 *
 * @param app the app ({@code -} for lines without one)
 * @param from the window's start
 * @param to the window's end, exclusive
 * @param granularity the width of the rows
 */
public record RollupRequest(String app, Instant from, Instant to, Granularity granularity) {

  /** A minute rollup covers at most a day: 1,440 rows. */
  public static final Duration MAX_MINUTE_WINDOW = Duration.ofDays(1);
  /** An hour rollup covers at most 31 days: 744 rows (the rollups are kept 30 days by default). */
  public static final Duration MAX_HOUR_WINDOW = Duration.ofDays(31);
  public static final String DEFAULT_FROM = "-24h";
  public static final String DEFAULT_TO = "now";
  public static final String DEFAULT_GRANULARITY = "hour";

  public RollupRequest {
    if (app == null || app.isBlank()) {
      throw new IllegalArgumentException("name the app: app=ID (`-` for lines without one)");
    }
    checkWindow(from, to, granularity);
  }

  /**
   * From the texts of a request; null texts take the defaults ({@value #DEFAULT_FROM} to {@value #DEFAULT_TO} by
   * {@value #DEFAULT_GRANULARITY}). Times as {@link TimeArgument} reads them.
   *
   * @throws IllegalArgumentException with the reason a person can act on
   */
  public static RollupRequest parse(String app, String from, String to, String granularity, Instant now) {
    Granularity width = parseGranularity(granularity);
    Instant start = parseTime("from", from, now);
    Instant end = parseTime("to", to, now);
    return new RollupRequest(app == null ? null : app.strip(), start, end, width);
  }

  /**
   * The rule every analytics window follows: {@code from} before {@code to}, and no longer than the granularity allows
   * ({@link #MAX_MINUTE_WINDOW}, {@link #MAX_HOUR_WINDOW}).
   *
   * @throws IllegalArgumentException with the reason
   */
  static void checkWindow(Instant from, Instant to, Granularity granularity) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
    }
    Duration window = Duration.between(from, to);
    Duration max = granularity == Granularity.MINUTE ? MAX_MINUTE_WINDOW : MAX_HOUR_WINDOW;
    if (window.compareTo(max) > 0) {
      throw new IllegalArgumentException("[" + from + ", " + to + ") is " + describe(window) + "; "
          + (granularity == Granularity.MINUTE ? "a minute" : "an hour") + " rollup covers at most " + describe(max)
          + (granularity == Granularity.MINUTE ? " (ask for granularity=hour)" : ""));
    }
  }

  static Granularity parseGranularity(String text) {
    return Granularity.parse(text == null ? DEFAULT_GRANULARITY : text);
  }

  /** {@code from} or {@code to} as {@link TimeArgument} reads it, null taking the default; the error names it. */
  static Instant parseTime(String name, String text, Instant now) {
    if (text == null) {
      text = name.equals("from") ? DEFAULT_FROM : DEFAULT_TO;
    }
    try {
      return TimeArgument.parse(text, now);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  private static String describe(Duration duration) {
    long minutes = duration.toMinutes();
    if (minutes % (24 * 60) == 0) {
      return minutes / (24 * 60) + (minutes == 24 * 60 ? " day" : " days");
    }
    if (minutes % 60 == 0) {
      return minutes / 60 + " h";
    }
    return minutes + " min";
  }
}
