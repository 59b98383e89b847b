package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.frameworks.kafka.core.KafkaCluster.Rebalance;
import dev.kos.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per transition of a cluster's rebalance. A row gives the cluster's rebalance state, its brokers, the
 * assignment the Admin API read (topic {@code t}, one partition per entry, replicas as listed), the partitions left
 * moving, the moves in flight (total/left, started 90 s ago) and whether the Admin call fails; and expects the next
 * state, the Admin call, the moves kept and the events said.
 */
class RebalancingStepTest {

  private static final Instant NOW = Instant.parse("2026-11-25T06:00:00Z");
  private static final long THROTTLE = 10_000_000;

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("a wanted rebalance of a ready cluster starts, throttled",
            Rebalance.WANTED, "1 2 3", "1,2 2,1 1,2", 0, "none", false,
            "RUNNING; reassign [t-0, t-1] on [1, 2, 3] at 10000000; moves 2/2; REASSIGNMENT_STARTED"
                + " (2 partitions move onto brokers [1, 2, 3], throttled to 10000000 bytes/s (0 bytes to copy; every"
                + " goal met after))"),
        Arguments.of("a balanced cluster has nothing to move",
            Rebalance.WANTED, "1 2", "1,2 2,1", 0, "none", false,
            "NONE; no call; no moves; REASSIGNMENT_FINISHED (partitions are balanced already; nothing to move)"),
        Arguments.of("a cluster with an unhealthy broker waits",
            Rebalance.WANTED, "1 2 3-unhealthy", "1,2 2,1 1,2", 0, "none", false, "WANTED; no call; no moves"),
        Arguments.of("a cluster still moving partitions waits",
            Rebalance.WANTED, "1 2 3", "1,2 2,1 1,2", 1, "none", false, "WANTED; no call; no moves"),
        Arguments.of("more replicas than brokers that stay cannot be balanced",
            Rebalance.WANTED, "1 2 3-draining", "1,2,3", 0, "none", false,
            "NONE; no call; no moves; REASSIGNMENT_IMPOSSIBLE (partition t-0 has 3 replicas but only 2 brokers"
                + " would remain [1, 2])"),
        Arguments.of("a start the Admin API refuses is tried again later, and not said",
            Rebalance.WANTED, "1 2 3", "1,2 2,1 1,2", 0, "none", true, "WANTED; no call; no moves"),
        Arguments.of("a running rebalance a restarted framework does not know starts again once ready",
            Rebalance.RUNNING, "1 2 3", "1,2 2,1 1,2", 2, "none", false, "WANTED; no call; no moves"),
        Arguments.of("moves not yet done: nothing to say",
            Rebalance.RUNNING, "1 2 3", "1,2 2,1 1,2", 2, "2/2", false, "RUNNING; no call; moves 2/2"),
        Arguments.of("progress is said",
            Rebalance.RUNNING, "1 2 3", "1,2 2,1 1,2", 1, "2/2", false,
            "RUNNING; no call; moves 2/1; REASSIGNMENT_PROGRESS (1 of 2 partition moves done)"),
        Arguments.of("the last move done: throttles removed, finish said with the time taken",
            Rebalance.RUNNING, "1 2 3", "1,2 2,1 1,2", 0, "2/1", false,
            "NONE; unthrottle [t] on [1, 2, 3]; no moves; REASSIGNMENT_PROGRESS (2 of 2 partition moves done);"
                + " REASSIGNMENT_FINISHED (2 partitions moved in 90 s; throttles removed)"),
        Arguments.of("throttles that cannot be removed do not stop the finish",
            Rebalance.RUNNING, "1 2 3", "1,2 2,1 1,2", 0, "2/0", true,
            "NONE; no call; no moves; REASSIGNMENT_FINISHED (2 partitions moved in 90 s; throttles removed)"),
        Arguments.of("no rebalance asked: nothing happens",
            Rebalance.NONE, "1 2 3", "1,2 2,1 1,2", 0, "none", false, "NONE; no call; no moves"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldStepTheRebalance(String name, Rebalance state, String brokers, String assignment, int left,
      String moving, boolean callFails, String expected) {
    KafkaCluster cluster = cluster(state, brokers);
    Rebalancing.Seen seen = new Rebalancing.Seen(observation(cluster, left > 0), assignment(assignment), left);

    Rebalancing.Step step = Rebalancing.step(cluster, seen, moves(moving), NOW, THROTTLE);
    if (callFails) {
      assertThat(step.call()).as("a call to fail").isPresent();
      step = step.callFailed();
    }

    assertThat(describe(step)).isEqualTo(expected);
  }

  private static KafkaCluster cluster(Rebalance state, String brokers) {
    List<Broker> list = new ArrayList<>();
    for (String spec : brokers.split(" ")) {
      String[] part = spec.split("-");
      int id = Integer.parseInt(part[0]);
      String how = part.length > 1 ? part[1] : "healthy";
      list.add(new Broker(id, id == 1, Optional.of(new Placement("agent-" + id, "host-" + id, List.of(9092, 9093))),
          how.equals("draining") ? BrokerPhase.DRAINING : BrokerPhase.RUNNING, 1, Optional.of("task-" + id), 0,
          Optional.of("4.3.1"), Optional.of(!how.equals("unhealthy")), 0, NOW));
    }
    return new KafkaCluster("c", "cluster-id", "4.3.1", Resources.of(0.5, 768, 1024), Map.of(), 0, list, state,
        List.of(), Optional.empty());
  }

  private static Observation observation(KafkaCluster cluster, boolean reassigning) {
    Set<Integer> ids = cluster.brokers().stream().map(Broker::nodeId).collect(Collectors.toSet());
    return new Observation(ids, 0, 0, Map.of(), reassigning, MetadataLevels.UNKNOWN, NOW);
  }

  private static Map<PartitionId, List<Integer>> assignment(String text) {
    String[] partitions = text.split(" ");
    Map<PartitionId, List<Integer>> assignment = new TreeMap<>();
    IntStream.range(0, partitions.length).forEach(p -> assignment.put(new PartitionId("t", p),
        Stream.of(partitions[p].split(",")).map(Integer::valueOf).toList()));
    return assignment;
  }

  private static Optional<Rebalancing.Moves> moves(String text) {
    if (text.equals("none")) {
      return Optional.empty();
    }
    String[] part = text.split("/");
    return Optional.of(new Rebalancing.Moves(NOW.minus(Duration.ofSeconds(90)), Integer.parseInt(part[0]),
        Set.of("t"), Set.of(1, 2, 3), Integer.parseInt(part[1])));
  }

  private static String describe(Rebalancing.Step step) {
    List<String> parts = new ArrayList<>();
    parts.add(step.next().name());
    parts.add(step.call().map(call -> {
      if (call instanceof Rebalancing.Reassign reassign) {
        return "reassign " + reassign.moves().keySet() + " on " + sorted(reassign.brokers()) + " at "
            + reassign.throttleBytesPerSecond();
      }
      Rebalancing.Unthrottle unthrottle = (Rebalancing.Unthrottle) call;
      return "unthrottle " + sorted(unthrottle.topics()) + " on " + sorted(unthrottle.brokers());
    }).orElse("no call"));
    parts.add(step.moves().map(m -> "moves " + m.total() + "/" + m.left()).orElse("no moves"));
    step.events().forEach(event -> parts.add(event.kind() + " (" + event.message() + ")"));
    return String.join("; ", parts);
  }

  private static <T extends Comparable<T>> List<T> sorted(Set<T> set) {
    return set.stream().sorted().toList();
  }
}
