package dev.kos.frameworks.jobs.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code @every <n><unit>} with unit s, m, h or d: fires at every multiple of the period since the epoch, so
 * that a restarted framework picks the same fire times as the one before it.
 */
public record EverySchedule(String text, Duration period) implements Schedule {

  private static final Pattern FORM = Pattern.compile("@every\\s+(\\d{1,9})(s|m|h|d)");

  static EverySchedule parse(String text) {
    Matcher matcher = FORM.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("'" + text + "' is neither a 5-field cron expression nor '@every <n>s|m|h|d'"
          + " (e.g. '@every 30s')");
    }
    long amount = Long.parseLong(matcher.group(1));
    Duration period = switch (matcher.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
    if (period.isZero()) {
      throw new IllegalArgumentException("'" + text + "': the period must be at least 1s");
    }
    return new EverySchedule(text, period);
  }

  @Override
  public Optional<Instant> nextAfter(Instant time) {
    long periodMillis = period.toMillis();
    long fired = Math.floorDiv(time.toEpochMilli(), periodMillis);
    return Optional.of(Instant.ofEpochMilli((fired + 1) * periodMillis));
  }
}
