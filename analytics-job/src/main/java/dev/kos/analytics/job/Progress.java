package dev.kos.analytics.job;

/**
 * The job's progress lines on stdout: the user-facing output of {@code kos analytics run}, apart
 * from Spark's own logging.
 */
final class Progress {

  static final String PREFIX = "[kos-analytics] ";

  private Progress() {}

  static void print(String format, Object... args) {
    System.out.println(PREFIX + String.format(format, args));
    System.out.flush();
  }
}
