package dev.kos.frameworks.kafka.core;

import java.util.Map;

/** A command's verdict: the clusters after it, or why nothing changed. */
public sealed interface KafkaCommandOutcome {

  record Accepted(Map<String, KafkaCluster> clusters, String message) implements KafkaCommandOutcome {
    public Accepted {
      clusters = Map.copyOf(clusters);
    }
  }

  record Rejected(String reason) implements KafkaCommandOutcome {
  }
}
