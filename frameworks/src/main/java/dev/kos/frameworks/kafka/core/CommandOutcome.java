package dev.kos.frameworks.kafka.core;

import java.util.Map;

/** A command's verdict: the clusters after it, or why nothing changed. */
public sealed interface CommandOutcome {

  record Accepted(Map<String, KafkaCluster> clusters, String message) implements CommandOutcome {
    public Accepted {
      clusters = Map.copyOf(clusters);
    }
  }

  record Rejected(String reason) implements CommandOutcome {
  }
}
