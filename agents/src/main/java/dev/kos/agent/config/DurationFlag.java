package dev.kos.agent.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as people write them on a command line: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
public final class DurationFlag {
  private static final Pattern AMOUNT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

  private DurationFlag() {
  }

  public static Duration parse(String flag) {
    Matcher matcher = AMOUNT.matcher(flag == null ? "" : flag.trim());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("invalid duration '" + flag + "': expected a number and a unit, "
          + "e.g. 500ms, 5s, 2m or 1h");
    }
    double amount = Double.parseDouble(matcher.group(1));
    long unitMillis = switch (matcher.group(2)) {
      case "ms" -> 1;
      case "s" -> 1_000;
      case "m" -> 60_000;
      default -> 3_600_000;
    };
    return Duration.ofNanos(Math.round(amount * unitMillis * 1_000_000));
  }
}
