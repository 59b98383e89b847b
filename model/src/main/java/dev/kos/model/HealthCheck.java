package dev.kos.model;

import java.util.Objects;
import java.util.Optional;

/**
 * How an agent checks a task's health.
 *
 * @param command   the shell command for {@link Protocol#COMMAND}
 * @param path      the HTTP path for {@link Protocol#HTTP}
 * @param portIndex which of the task's ports HTTP and TCP checks use
 */
public record HealthCheck(Protocol protocol, Optional<String> command, Optional<String> path, int portIndex,
    int gracePeriodSeconds, int intervalSeconds, int timeoutSeconds, int maxConsecutiveFailures) {

  public enum Protocol { COMMAND, HTTP, TCP }

  public HealthCheck {
    Objects.requireNonNull(protocol, "protocol");
  }
}
