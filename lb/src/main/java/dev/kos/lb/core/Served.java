package dev.kos.lb.core;

import java.time.Instant;
import java.util.Optional;

/**
 * One request the balancer answered, as its access log tells it.
 *
 * @param backend the backend that answered, or the last one tried; empty if none was
 * @param tries how many backends were tried
 */
public record Served(Instant at, String appId, String client, String method, String path, int status,
    long micros, Optional<Backend> backend, int tries) {

  /** The access log line: {@code 2026-12-07T10:00:00Z /web 10.0.0.1 "GET /x" 200 1.234ms web.1.0@n1:31000 tries=1}. */
  public String line() {
    return at + " " + appId + " " + client + " \"" + method + " " + path + "\" " + status + " "
        + String.format(java.util.Locale.ROOT, "%.3fms", micros / 1000.0) + " "
        + backend.map(b -> b.taskId() + "@" + b.address()).orElse("-") + " tries=" + tries;
  }

  /** The status class the metrics count it under: 2xx, 3xx, 4xx or 5xx (1xx counts as 2xx). */
  public String statusClass() {
    return status >= 500 ? "5xx" : status >= 400 ? "4xx" : status >= 300 ? "3xx" : "2xx";
  }
}
