package dev.kos.frameworks.kafka.core;

import java.util.Set;
import java.util.stream.Collectors;

/** When partitions may start moving: only onto a whole, healthy, settled cluster. */
public final class Rebalancing {

  private Rebalancing() {
  }

  public static boolean ready(KafkaCluster cluster, Observation seen) {
    return cluster.rebalance() == KafkaCluster.Rebalance.WANTED
        && cluster.brokers().stream().allMatch(b -> b.phase() == BrokerPhase.RUNNING
            || b.phase() == BrokerPhase.DRAINING || b.gone())
        && cluster.brokers().stream().filter(b -> !b.gone())
            .allMatch(b -> b.healthy().orElse(false) && seen.registered().contains(b.nodeId()))
        && seen.settled() && !seen.reassigning();
  }

  /** The brokers partitions should live on: every member, none that is leaving. */
  public static Set<Integer> targets(KafkaCluster cluster) {
    return cluster.members().stream().map(Broker::nodeId).collect(Collectors.toSet());
  }
}
