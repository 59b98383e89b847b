package dev.kos.cli.results;

import dev.kos.bus.client.DurationText;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/** How listings write ages, durations and quantities: short, as people read them in a column. */
public final class Formats {

  private static final long SECOND = 1_000;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;

  private Formats() {
  }

  /** How long ago {@code then} was, in its largest whole unit: {@code 42s}, {@code 5m}, {@code 3h}, {@code 2d}. */
  public static String age(Instant then, Instant now) {
    long millis = Math.max(0, Duration.between(then, now).toMillis());
    if (millis < MINUTE) {
      return millis / SECOND + "s";
    }
    if (millis < HOUR) {
      return millis / MINUTE + "m";
    }
    if (millis < 2 * DAY) {
      return millis / HOUR + "h";
    }
    return millis / DAY + "d";
  }

  /**
   * A duration in the largest unit that writes it exactly, as the duration flags read it:
   * {@code 30s}, {@code 7d}, {@code 1500ms}.
   */
  public static String duration(Duration duration) {
    return DurationText.of(duration);
  }

  /** A quantity without trailing zeros: {@code 2}, {@code 0.5}, {@code 0.33}. */
  public static String number(double value) {
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  /** A cell for a value that may be absent. */
  public static String orDash(Object value) {
    return value == null || value.toString().isEmpty() ? "-" : value.toString();
  }
}
