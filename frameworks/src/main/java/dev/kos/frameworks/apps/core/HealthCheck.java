package dev.kos.frameworks.apps.core;

import java.time.Duration;
import java.util.Optional;

/** How an agent checks an instance's health; {@code portIndex} indexes the app's ports for HTTP and TCP. */
public record HealthCheck(Protocol protocol, Optional<String> command, Optional<String> path, int portIndex,
    Duration gracePeriod, Duration interval, Duration timeout, int maxConsecutiveFailures) {

  public enum Protocol { COMMAND, HTTP, TCP }
}
