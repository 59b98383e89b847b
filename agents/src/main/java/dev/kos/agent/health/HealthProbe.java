package dev.kos.agent.health;

import java.time.Duration;

/** One way to ask a task whether it is healthy; must answer within {@code timeout}. */
@FunctionalInterface
public interface HealthProbe {
  ProbeResult probe(Duration timeout);
}
