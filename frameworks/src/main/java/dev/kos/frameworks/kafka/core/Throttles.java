package dev.kos.frameworks.kafka.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-topic throttled-replica lists for a reassignment, as Kafka's reassign tool sets them: the current
 * replicas of a moving partition throttle what they send as leaders, the new replicas what they fetch as
 * followers. The byte rates themselves are broker configs the shell sets alongside.
 */
public final class Throttles {

  public static final String LEADER_REPLICAS = "leader.replication.throttled.replicas";
  public static final String FOLLOWER_REPLICAS = "follower.replication.throttled.replicas";
  public static final String LEADER_RATE = "leader.replication.throttled.rate";
  public static final String FOLLOWER_RATE = "follower.replication.throttled.rate";

  private Throttles() {
  }

  /** topic -> (config key -> "partition:broker,..."), for every topic with a moving partition. */
  public static Map<String, Map<String, String>> replicas(Map<PartitionId, List<Integer>> current,
      Map<PartitionId, List<Integer>> moves) {
    Map<String, List<String>> leaders = new TreeMap<>();
    Map<String, List<String>> followers = new TreeMap<>();
    moves.forEach((partition, target) -> {
      List<Integer> before = current.getOrDefault(partition, List.of());
      before.forEach(b -> leaders.computeIfAbsent(partition.topic(), t -> new ArrayList<>())
          .add(partition.partition() + ":" + b));
      target.stream().filter(b -> !before.contains(b)).forEach(b -> followers
          .computeIfAbsent(partition.topic(), t -> new ArrayList<>()).add(partition.partition() + ":" + b));
    });
    Map<String, Map<String, String>> configs = new TreeMap<>();
    leaders.forEach((topic, list) -> configs.computeIfAbsent(topic, t -> new TreeMap<>())
        .put(LEADER_REPLICAS, String.join(",", list)));
    followers.forEach((topic, list) -> configs.computeIfAbsent(topic, t -> new TreeMap<>())
        .put(FOLLOWER_REPLICAS, String.join(",", list)));
    return configs;
  }
}
