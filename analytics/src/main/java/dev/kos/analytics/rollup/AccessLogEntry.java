package dev.kos.analytics.rollup;

import java.io.Serializable;

/**
 * What a rollup keeps of one HTTP access-log line: its status code (100..599) and latency in
 * milliseconds (finite, not negative).
 */
public record AccessLogEntry(int status, double latencyMs) implements Serializable {

  public AccessLogEntry {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status must be within 100..599, got " + status);
    }
    if (!(latencyMs >= 0) || Double.isInfinite(latencyMs)) {
      throw new IllegalArgumentException("latency must be a finite number of ms >= 0, got " + latencyMs);
    }
  }

  /** 2, 3, 4 or 5 for the status classes a rollup counts; 1 for informational responses. */
  public int statusClass() {
    return status / 100;
  }
}
