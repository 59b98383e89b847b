package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ReassignmentTest {

  @Test
  void shouldMoveReplicasOntoANewBrokerUntilCountsDifferByOne() {
    Map<PartitionId, List<Integer>> current = roundRobin("orders", 6, 3, List.of(1, 2, 3));

    Map<PartitionId, List<Integer>> moves = Reassignment.balance(current, Set.of(1, 2, 3, 4));

    Map<Integer, Integer> load = load(apply(current, moves));
    assertThat(load.values()).allMatch(n -> n == 4 || n == 5);
    assertThat(load.get(4)).isPositive();
    assertThat(moves.size()).as("only partitions that gain broker 4, or change leader, move").isLessThanOrEqualTo(6);
  }

  @Test
  void shouldMoveEveryReplicaOffARemovedBroker() {
    Map<PartitionId, List<Integer>> current = roundRobin("orders", 8, 3, List.of(1, 2, 3, 4));

    Map<PartitionId, List<Integer>> after = apply(current, Reassignment.balance(current, Set.of(1, 2, 3)));

    assertThat(load(after)).doesNotContainKey(4).containsValues(8, 8, 8);
  }

  @Test
  void shouldMoveNothingWhenBalancedAlready() {
    assertThat(Reassignment.balance(roundRobin("t", 6, 3, List.of(1, 2, 3)), Set.of(1, 2, 3))).isEmpty();
  }

  @Test
  void shouldRefuseWhenTooFewBrokersWouldRemain() {
    assertThatThrownBy(() -> Reassignment.balance(roundRobin("t", 1, 3, List.of(1, 2, 3)), Set.of(1, 2)))
        .hasMessageContaining("t-0 has 3 replicas but only 2 brokers would remain");
  }

  @Test
  void shouldThrottleTheSourcesAsLeadersAndTheNewReplicasAsFollowers() {
    PartitionId p0 = new PartitionId("orders", 0);
    Map<String, Map<String, String>> throttles = Throttles.replicas(Map.of(p0, List.of(1, 2, 3)),
        Map.of(p0, List.of(4, 2, 3)));

    assertThat(throttles).containsExactly(Map.entry("orders", Map.of(
        Throttles.LEADER_REPLICAS, "0:1,0:2,0:3", Throttles.FOLLOWER_REPLICAS, "0:4")));
  }

  @Property(tries = 300)
  void balancedAssignmentsKeepReplicationAndStayOnTheTargets(@ForAll @IntRange(min = 1, max = 40) int partitions,
      @ForAll @IntRange(min = 1, max = 3) int replication, @ForAll @IntRange(min = 3, max = 6) int before,
      @ForAll @IntRange(min = 3, max = 7) int after) {
    Map<PartitionId, List<Integer>> current = roundRobin("t", partitions, replication,
        IntStream.rangeClosed(1, before).boxed().toList());
    Set<Integer> targets = Set.copyOf(IntStream.rangeClosed(1, after).boxed().toList());

    Map<PartitionId, List<Integer>> balanced = apply(current, Reassignment.balance(current, targets));

    balanced.forEach((partition, replicas) -> {
      assertThat(replicas).hasSize(replication).doesNotHaveDuplicates();
      assertThat(targets).containsAll(replicas);
    });
    Map<Integer, Integer> load = load(balanced);
    targets.forEach(b -> load.putIfAbsent(b, 0));
    assertThat(load.values().stream().mapToInt(i -> i).max().orElseThrow()
        - load.values().stream().mapToInt(i -> i).min().orElseThrow()).isLessThanOrEqualTo(1);
    assertThat(Reassignment.balance(balanced, targets)).as("balancing twice moves nothing").isEmpty();
  }

  private static Map<PartitionId, List<Integer>> roundRobin(String topic, int partitions, int replication,
      List<Integer> brokers) {
    Map<PartitionId, List<Integer>> assignment = new TreeMap<>();
    for (int p = 0; p < partitions; p++) {
      int first = p;
      assignment.put(new PartitionId(topic, p), IntStream.range(0, replication)
          .mapToObj(r -> brokers.get((first + r) % brokers.size())).toList());
    }
    return assignment;
  }

  private static Map<PartitionId, List<Integer>> apply(Map<PartitionId, List<Integer>> current,
      Map<PartitionId, List<Integer>> moves) {
    Map<PartitionId, List<Integer>> after = new TreeMap<>(current);
    after.putAll(moves);
    return after;
  }

  private static Map<Integer, Integer> load(Map<PartitionId, List<Integer>> assignment) {
    Map<Integer, Integer> load = new HashMap<>();
    assignment.values().forEach(replicas -> replicas.forEach(b -> load.merge(b, 1, Integer::sum)));
    return load;
  }
}
