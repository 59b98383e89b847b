package dev.kos.frameworks.kafka.core;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What the cluster itself says, as the shell last read it through the Admin API.
 *
 * @param registered node ids of the brokers the cluster's metadata lists as alive
 * @param underReplicated partitions with fewer in-sync replicas than replicas
 * @param offline partitions without a leader
 * @param replicasPerBroker how many partition replicas each node id holds
 * @param reassigning whether a partition reassignment is in progress
 * @param metadata the cluster's metadata.version levels
 * @param readFrom when the read began: what it says may be older than any change to the brokers after that
 */
public record Observation(Set<Integer> registered, int underReplicated, int offline,
    Map<Integer, Integer> replicasPerBroker, boolean reassigning, MetadataLevels metadata, Instant readFrom) {

  public static final Observation UNKNOWN = new Observation(Set.of(), -1, -1, Map.of(), false,
      MetadataLevels.UNKNOWN, Instant.MIN);

  public Observation {
    registered = Set.copyOf(registered);
    replicasPerBroker = Map.copyOf(replicasPerBroker);
  }

  /** All partitions fully replicated and led; false while unknown. */
  public boolean settled() {
    return underReplicated == 0 && offline == 0;
  }

  public int replicasOn(int nodeId) {
    return replicasPerBroker.getOrDefault(nodeId, 0);
  }
}
