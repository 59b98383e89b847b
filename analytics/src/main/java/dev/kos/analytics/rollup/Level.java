package dev.kos.analytics.rollup;

/** The level a log line counts under; {@link #OTHER} when the line names none. */
public enum Level {
  ERROR,
  WARN,
  INFO,
  DEBUG,
  OTHER
}
