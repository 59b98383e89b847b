package dev.kos.frameworks.kafka.core;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What becomes of a broker when an offer the planner used for it could not be used any more (expired, rescinded):
 * the broker goes back to the phase the step started from and waits for the next offer, or, when it lives on
 * another agent now (the offer was for the clean-up of its old home), it is left alone. No clock, no driver.
 */
public final class OfferRetry {

  private OfferRetry() {
  }

  /**
   * The clusters with the broker put back to {@code retry} (a broker that was to reserve starts afresh); empty
   * when the broker no longer lives on {@code agentId}, and nothing changes.
   */
  public static Optional<Map<String, KafkaCluster>> afterUnusableOffer(Map<String, KafkaCluster> clusters,
      String cluster, int nodeId, String agentId, BrokerPhase retry, Instant now) {
    boolean brokerThere = Optional.ofNullable(clusters.get(cluster)).flatMap(c -> c.broker(nodeId))
        .flatMap(Broker::placement).map(where -> where.agentId().equals(agentId)).orElse(false);
    if (!brokerThere) {
      return Optional.empty();
    }
    Map<String, KafkaCluster> next = new TreeMap<>(clusters);
    next.computeIfPresent(cluster, (name, c) -> c.withBroker(nodeId, b -> retry == BrokerPhase.NEW
        ? Broker.fresh(b.nodeId(), b.controller(), now)
        : new Broker(b.nodeId(), b.controller(), b.placement(), retry, b.attempt(), b.taskId(), b.configVersion(),
            b.version(), Optional.empty(), b.failures(), now)));
    return Optional.of(next);
  }
}
