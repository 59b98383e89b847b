package dev.kos.analytics.rollup;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies a log line as docs/analytics.md defines: its level, whether it is an HTTP access-log
 * line ({@code <client> - <user> [<time>] "<METHOD> <path> <protocol>" <status> <bytes> <latency>ms})
 * and whether it is malformed. Pure and thread-safe; the Spark job and the tests share it.
 */
public final class LogLineClassifier {

  /** The whole access-log line; trailing whitespace (a stray {@code \r}) is tolerated. */
  private static final Pattern ACCESS_LOG = Pattern.compile(
      "(\\S+) - (\\S+) \\[([^\\]]*)\\] \"(\\S+) (\\S+) (\\S+)\" (\\d{1,9}) (\\d+|-) (\\d{1,15}(?:\\.\\d{1,9})?)ms\\s*");
  private static final int STATUS_GROUP = 7;
  private static final int LATENCY_GROUP = 9;

  /** How an access-log line starts; a line that starts so but does not match is malformed. */
  private static final Pattern ACCESS_LOG_START = Pattern.compile("\\S+ - \\S+ \\[");

  private LogLineClassifier() {}

  public static ClassifiedLine classify(String line) {
    Level level = levelOf(line);
    Matcher access = ACCESS_LOG.matcher(line);
    if (access.matches()) {
      int status = Integer.parseInt(access.group(STATUS_GROUP));
      if (status < 100 || status > 599) {
        return new ClassifiedLine(level, Optional.empty(), true);
      }
      double latencyMs = Double.parseDouble(access.group(LATENCY_GROUP));
      return new ClassifiedLine(level, Optional.of(new AccessLogEntry(status, latencyMs)), false);
    }
    boolean malformed = ACCESS_LOG_START.matcher(line).lookingAt();
    return new ClassifiedLine(level, Optional.empty(), malformed);
  }

  /**
   * The first whole word that names a level, case-sensitive. A word is a maximal run of letters,
   * digits and underscores, so {@code [ERROR]} and {@code level=WARN} count but {@code ERRORS} and
   * {@code MY_ERROR} do not. Scans by hand: this runs once per log line in the job.
   */
  static Level levelOf(String line) {
    int length = line.length();
    int index = 0;
    while (index < length) {
      while (index < length && !isWordChar(line.charAt(index))) {
        index++;
      }
      int start = index;
      while (index < length && isWordChar(line.charAt(index))) {
        index++;
      }
      Level level = levelNamed(line, start, index);
      if (level != Level.OTHER) {
        return level;
      }
    }
    return Level.OTHER;
  }

  private static Level levelNamed(String line, int start, int end) {
    return switch (end - start) {
      case 4 -> line.startsWith("WARN", start) ? Level.WARN
          : line.startsWith("INFO", start) ? Level.INFO : Level.OTHER;
      case 5 -> line.startsWith("ERROR", start) ? Level.ERROR
          : line.startsWith("DEBUG", start) ? Level.DEBUG : Level.OTHER;
      case 7 -> line.startsWith("WARNING", start) ? Level.WARN : Level.OTHER;
      default -> Level.OTHER;
    };
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
