package dev.kos.analytics.rollup;

import java.util.Optional;

/**
 * What one log line contributes to a rollup besides {@code lines} and {@code bytes}: its level
 * (always, so level counts add up to lines), the access-log entry when the line is one, and whether
 * it is malformed (started like an access-log line but was not one). A malformed line has no entry.
 *
 * <p>Not {@link java.io.Serializable} (it holds an {@link Optional}): a Spark function should call
 * {@link LogLineClassifier#classify} and keep only the plain fields it needs.
 */
public record ClassifiedLine(Level level, Optional<AccessLogEntry> access, boolean malformed) {

  public ClassifiedLine {
    if (level == null || access == null) {
      throw new IllegalArgumentException("level and access must not be null (use Optional.empty())");
    }
    if (malformed && access.isPresent()) {
      throw new IllegalArgumentException("a malformed line has no access-log entry");
    }
  }
}
