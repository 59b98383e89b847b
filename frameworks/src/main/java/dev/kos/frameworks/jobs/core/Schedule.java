package dev.kos.frameworks.jobs.core;

import java.time.Instant;
import java.util.Optional;

/**
 * When a scheduled job runs: a five-field cron expression in UTC ({@link CronSchedule}) or a fixed
 * period ({@link EverySchedule}, {@code @every 30s}).
 */
public sealed interface Schedule permits CronSchedule, EverySchedule {

  /** The expression as the user wrote it. */
  String text();

  /** The first fire time strictly after {@code time}; empty if the expression never fires again. */
  Optional<Instant> nextAfter(Instant time);

  /**
   * Parses an expression.
   *
   * @throws IllegalArgumentException saying what is wrong and what is allowed
   */
  static Schedule parse(String text) {
    String trimmed = text.trim();
    return trimmed.startsWith("@") ? EverySchedule.parse(trimmed) : CronSchedule.parse(trimmed);
  }
}
