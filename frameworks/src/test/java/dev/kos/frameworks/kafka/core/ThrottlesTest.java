package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The replication throttles of a reassignment (its balance is GoalBalancer's, tested in GoalBalancerTest). */
class ThrottlesTest {

  @Test
  void shouldThrottleTheSourcesAsLeadersAndTheNewReplicasAsFollowers() {
    PartitionId p0 = new PartitionId("orders", 0);
    Map<String, Map<String, String>> throttles = Throttles.replicas(Map.of(p0, List.of(1, 2, 3)),
        Map.of(p0, List.of(4, 2, 3)));

    assertThat(throttles).containsExactly(Map.entry("orders", Map.of(
        Throttles.LEADER_REPLICAS, "0:1,0:2,0:3", Throttles.FOLLOWER_REPLICAS, "0:4")));
  }
}
