package dev.kos.frameworks.kafka.core;

import java.util.List;
import java.util.Map;

/** The clusters after a step, and what the shell must do to get there. */
public record Plan(Map<String, KafkaCluster> clusters, List<Action> actions, boolean wantsOffers) {

  public Plan {
    clusters = Map.copyOf(clusters);
    actions = List.copyOf(actions);
  }

  public <T extends Action> List<T> actions(Class<T> kind) {
    return actions.stream().filter(kind::isInstance).map(kind::cast).toList();
  }
}
