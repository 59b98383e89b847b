package dev.kos.bench.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The access-log lines the analytics benchmark produces, each a pure function of its index: what line {@code i} says,
 * when it was written and which task wrote it, so that what the rollups must hold is known without keeping the lines.
 * The lines are spread evenly over a window (a day by default), so that a day's query reads a day of minutes.
 *
 * @param count  how many lines
 * @param start  the first line's time
 * @param window the lines' times span [start, start + window)
 * @param tasks  the web tasks that write them (keys on kos.logs, hence its partitions)
 */
record AccessLines(long count, Instant start, Duration window, int tasks) {

  private static final DateTimeFormatter ACCESS_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
  /** One line in {@value} is a 4xx, one a 5xx, the rest 2xx. */
  static final int STATUS_CYCLE = 20;

  AccessLines {
    if (count < 1 || tasks < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("count and tasks must be positive and the window longer than zero");
    }
  }

  /** The end of the window (exclusive). */
  Instant end() {
    return start.plus(window);
  }

  /** Line {@code i}'s time: the window cut into {@code count} equal steps. */
  Instant timestamp(long i) {
    return start.plusNanos((long) (window.toNanos() * (i / (double) count)));
  }

  String task(long i) {
    return "bench-web-" + (i % tasks);
  }

  static int status(long i) {
    long slot = i % STATUS_CYCLE;
    return slot == 0 ? 503 : slot == 1 ? 404 : 200;
  }

  /** Line {@code i} in the access-log format the rollup parses (docs/analytics.md). */
  String line(long i) {
    return String.format(Locale.ROOT, "10.0.%d.%d - - [%s] \"GET /items/%d HTTP/1.1\" %d %d %.3fms",
        (i / 256) % 256, i % 256, ACCESS_TIME.format(timestamp(i)), i % 1000, status(i), 200 + i % 800,
        0.5 + (i % 997) / 10.0);
  }

  /** How many of the lines have a status of class {@code hundreds} (2 for 2xx). */
  long withStatusClass(int hundreds) {
    long full = count / STATUS_CYCLE;
    long rest = count % STATUS_CYCLE;
    return switch (hundreds) {
      case 5 -> full + (rest > 0 ? 1 : 0);
      case 4 -> full + (rest > 1 ? 1 : 0);
      case 2 -> count - withStatusClass(5) - withStatusClass(4);
      default -> 0;
    };
  }
}
