package dev.kos.agent.model;

import java.time.Duration;

/** How the agent checks a task's health. {@code command} is for COMMAND, {@code path} for HTTP. */
public record HealthCheckSpec(
    HealthProtocol protocol,
    String command,
    String path,
    int portIndex,
    Duration gracePeriod,
    Duration interval,
    Duration timeout,
    int maxConsecutiveFailures) {

  public HealthCheckSpec {
    if (protocol == HealthProtocol.COMMAND && (command == null || command.isBlank())) {
      throw new IllegalArgumentException("a COMMAND health check needs a command");
    }
    if (interval.isZero() || interval.isNegative() || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("health check interval and timeout must be positive");
    }
    if (maxConsecutiveFailures < 1) {
      throw new IllegalArgumentException("maxConsecutiveFailures must be >= 1");
    }
    if (portIndex < 0) {
      throw new IllegalArgumentException("health check portIndex must be >= 0");
    }
  }
}
