package dev.kos.frameworks.kafka;

import dev.kos.frameworks.kafka.core.Observation;
import dev.kos.frameworks.kafka.core.PartitionId;
import java.util.List;
import java.util.Map;

/**
 * One read of a cluster through its Admin API: the planner's {@link Observation}, the replica assignment a
 * rebalance starts from, and per-broker figures for {@code kos.metrics}.
 *
 * @param leaders partitions each broker leads
 * @param logDirBytes bytes in each broker's log directory (its volume)
 * @param reassignmentsLeft partitions still moving
 * @param partitionBytes each partition's size (its largest replica), for the rebalance's disk goal
 */
record AdminSnapshot(Observation observation, Map<PartitionId, List<Integer>> assignment, Map<Integer, Integer> leaders,
    Map<Integer, Integer> underReplicatedLed, Map<Integer, Long> logDirBytes, int reassignmentsLeft,
    Map<PartitionId, Long> partitionBytes) {
}
