package dev.kos.analytics.query;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points in time as people write them for {@code --from}, {@code --to} and {@code --since}:
 * {@code now}, an age ({@code 1h} or {@code -1h}: that long before now; units s, m, h, d) or an
 * ISO-8601 instant ({@code 2026-11-25T10:00:00Z}).
 */
public final class TimeArgument {

  private static final Pattern AGE = Pattern.compile("-?(\\d+)(s|m|h|d)");

  private TimeArgument() {}

  public static Instant parse(String text, Instant now) {
    String value = text.strip();
    if (value.equalsIgnoreCase("now")) {
      return now;
    }
    Matcher age = AGE.matcher(value);
    if (age.matches()) {
      try {
        long amount = Long.parseLong(age.group(1));
        Duration unit = switch (age.group(2)) {
          case "s" -> Duration.ofSeconds(1);
          case "m" -> Duration.ofMinutes(1);
          case "h" -> Duration.ofHours(1);
          default -> Duration.ofDays(1);
        };
        return now.minus(unit.multipliedBy(amount));
      } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
        throw new IllegalArgumentException("the age '" + text + "' reaches beyond the times this can represent");
      }
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("cannot read the time '" + text + "': write now, an age like -1h, 30m or 7d, "
          + "or an instant like 2026-11-25T10:00:00Z");
    }
  }
}
