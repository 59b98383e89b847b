package dev.kos.analytics.query;

import java.time.Instant;

/**
 * "Top apps" asked for by the API: the apps with the highest total of a metric over [from, to), checked before any
 * row is read. The window follows the hour rollup's rule ({@link RollupRequest#MAX_HOUR_WINDOW}): the totals are read
 * from the hour rows and the minutes around them.
 *
 * @param metric what to rank by (default {@code requests})
 * @param limit at most this many apps, 1 to {@value #MAX_LIMIT}
 */
public record TopAppsRequest(Metric metric, Instant from, Instant to, int limit) {

  public static final int DEFAULT_LIMIT = 10;
  public static final int MAX_LIMIT = 1000;
  public static final String DEFAULT_METRIC = "requests";

  public TopAppsRequest {
    RollupRequest.checkWindow(from, to, Granularity.HOUR);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit is 1 to " + MAX_LIMIT + ", not " + limit);
    }
  }

  /**
   * From the texts of a request; null texts take the defaults ({@value RollupRequest#DEFAULT_FROM} to
   * {@value RollupRequest#DEFAULT_TO}, {@value #DEFAULT_METRIC}, {@value #DEFAULT_LIMIT} apps).
   *
   * @throws IllegalArgumentException with the reason a person can act on
   */
  public static TopAppsRequest parse(String metric, String from, String to, String limit, Instant now) {
    Metric ranked = Metric.parse(metric == null ? DEFAULT_METRIC : metric.strip());
    Instant start = RollupRequest.parseTime("from", from, now);
    Instant end = RollupRequest.parseTime("to", to, now);
    return new TopAppsRequest(ranked, start, end, limit == null ? DEFAULT_LIMIT : parseLimit(limit));
  }

  private static int parseLimit(String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit is a whole number of apps (1 to " + MAX_LIMIT + "), not '" + text + "'",
          e);
    }
  }
}
