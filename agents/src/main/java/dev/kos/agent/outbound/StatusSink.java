package dev.kos.agent.outbound;

import dev.kos.agent.model.StatusUpdate;

/**
 * Where task statuses go (outbound); the Kafka shell maps them with ReportAvro and produces
 * them to kos.task-status (keyed by agent id). Called after the status is checkpointed, from the agent's threads.
 */
@FunctionalInterface
public interface StatusSink {
  void publish(StatusUpdate status);
}
