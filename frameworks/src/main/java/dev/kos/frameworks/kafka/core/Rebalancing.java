package dev.kos.frameworks.kafka.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A cluster's rebalance: when partitions may start moving (only onto a whole, healthy, settled cluster), and one
 * {@link #step} of its state machine WANTED → RUNNING → NONE, which says which Admin call the shell makes and what
 * it reports. No clock, no Admin client: the shell carries the {@link Step} out.
 */
public final class Rebalancing {

  /** A reassignment in flight: when it began, how many partitions move, and where the throttles are set. */
  public record Moves(Instant started, int total, Set<String> topics, Set<Integer> brokers, int left) {
    public Moves {
      Objects.requireNonNull(started, "started");
      topics = Set.copyOf(topics);
      brokers = Set.copyOf(brokers);
    }

    Moves withLeft(int newLeft) {
      return new Moves(started, total, topics, brokers, newLeft);
    }
  }

  /**
   * What one read of the cluster through its Admin API said that a rebalance needs.
   *
   * @param assignment each partition's replicas, preferred leader first
   * @param reassignmentsLeft partitions still moving
   */
  public record Seen(Observation observation, Map<PartitionId, List<Integer>> assignment, int reassignmentsLeft,
      Map<PartitionId, Long> partitionBytes) {
    public Seen {
      Objects.requireNonNull(observation, "observation");
      assignment = Map.copyOf(assignment);
      partitionBytes = Map.copyOf(partitionBytes);
    }

    /** A read without partition sizes: every partition weighs nothing on the disk goal. */
    public Seen(Observation observation, Map<PartitionId, List<Integer>> assignment, int reassignmentsLeft) {
      this(observation, assignment, reassignmentsLeft, Map.of());
    }
  }

  /** The share of a broker's volume the disk goal lets its replicas fill. */
  public static final double CAPACITY_THRESHOLD = 0.8;

  /**
   * What the goals balance: the assignment and partition sizes as read, onto the cluster's members, each with its
   * agent's zone and its volume's size as disk capacity (network capacities unknown: not judged).
   */
  public static GoalBalancer.Input input(KafkaCluster cluster, Map<PartitionId, List<Integer>> assignment,
      Map<PartitionId, Long> partitionBytes) {
    Map<PartitionId, GoalBalancer.PartitionLoad> partitions = new java.util.TreeMap<>();
    assignment.forEach((p, replicas) -> partitions.put(p, GoalBalancer.PartitionLoad.of(replicas,
        partitionBytes.getOrDefault(p, 0L))));
    Map<Integer, GoalBalancer.BrokerCapacity> targets = new java.util.TreeMap<>();
    long disk = (long) (cluster.perBroker().disk() * 1024 * 1024);
    cluster.members().forEach(b -> targets.put(b.nodeId(), new GoalBalancer.BrokerCapacity(b.nodeId(),
        b.placement().flatMap(Placement::rack), disk, 0, 0)));
    return new GoalBalancer.Input(partitions, targets, CAPACITY_THRESHOLD);
  }

  /** The Admin call a step needs. */
  public sealed interface AdminCall {
  }

  /** Move {@code moves} (new replica lists) from {@code current}, throttled on {@code brokers}. */
  public record Reassign(Set<Integer> brokers, Map<PartitionId, List<Integer>> current,
      Map<PartitionId, List<Integer>> moves, long throttleBytesPerSecond) implements AdminCall {
  }

  /** Remove the replication throttles a finished reassignment set. */
  public record Unthrottle(Set<Integer> brokers, Set<String> topics) implements AdminCall {
  }

  /** A StatusEvent about the cluster as a whole. */
  public record Event(String kind, String message, Map<String, Integer> counts) {
    public Event {
      counts = Map.copyOf(counts);
    }
  }

  /**
   * One step: make {@code call} (if any), then keep {@code moves} as the reassignment in flight (none if empty),
   * publish {@code events} in order and take {@code next} as the cluster's rebalance.
   */
  public record Step(KafkaCluster.Rebalance next, Optional<Moves> moves, Optional<AdminCall> call,
      List<Event> events) {
    public Step {
      Objects.requireNonNull(next, "next");
      Objects.requireNonNull(moves, "moves");
      Objects.requireNonNull(call, "call");
      events = List.copyOf(events);
    }

    /**
     * The step to take instead when the Admin call failed: a reassignment that did not start is tried again in a
     * later round (nothing moves, nothing is said); throttles that could not be removed do not stop the finish.
     */
    public Step callFailed() {
      if (call.orElse(null) instanceof Reassign) {
        return new Step(KafkaCluster.Rebalance.WANTED, Optional.empty(), Optional.empty(), List.of());
      }
      return new Step(next, moves, Optional.empty(), events);
    }
  }

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

  /**
   * Starts, follows or finishes the cluster's rebalance.
   *
   * @param moving the reassignment in flight as this framework started it, if any
   */
  public static Step step(KafkaCluster cluster, Seen seen, Optional<Moves> moving, Instant now,
      long throttleBytesPerSecond) {
    if (cluster.rebalance() == KafkaCluster.Rebalance.WANTED && ready(cluster, seen.observation())) {
      return start(cluster, seen, now, throttleBytesPerSecond);
    }
    if (cluster.rebalance() == KafkaCluster.Rebalance.RUNNING && moving.isEmpty()) {
      // Restored by a restarted framework, which does not know the moves: once the Admin API says the old moves
      // are done, a new rebalance starts from the assignment as it is then.
      return new Step(KafkaCluster.Rebalance.WANTED, moving, Optional.empty(), List.of());
    }
    if (cluster.rebalance() != KafkaCluster.Rebalance.RUNNING) {
      return new Step(cluster.rebalance(), moving, Optional.empty(), List.of());
    }
    Moves moves = moving.get();
    int left = seen.reassignmentsLeft();
    List<Event> events = List.of();
    if (left != moves.left()) {
      events = List.of(new Event("REASSIGNMENT_PROGRESS", (moves.total() - left) + " of " + moves.total()
          + " partition moves done", Map.of("total", moves.total(), "moved", moves.total() - left, "left", left)));
      moves = moves.withLeft(left);
    }
    if (left > 0) {
      return new Step(KafkaCluster.Rebalance.RUNNING, Optional.of(moves), Optional.empty(), events);
    }
    long seconds = Duration.between(moves.started(), now).toSeconds();
    Event finished = new Event("REASSIGNMENT_FINISHED", moves.total() + " partitions moved in " + seconds
        + " s; throttles removed", Map.of("total", moves.total(), "seconds", (int) seconds));
    return new Step(KafkaCluster.Rebalance.NONE, Optional.empty(),
        Optional.of(new Unthrottle(moves.brokers(), moves.topics())),
        events.isEmpty() ? List.of(finished) : List.of(events.get(0), finished));
  }

  private static Step start(KafkaCluster cluster, Seen seen, Instant now, long throttleBytesPerSecond) {
    Map<PartitionId, List<Integer>> moves;
    GoalBalancer.Proposal proposal;
    try {
      proposal = GoalBalancer.propose(input(cluster, seen.assignment(), seen.partitionBytes()));
      moves = proposal.moves();
    } catch (IllegalArgumentException e) {
      return new Step(KafkaCluster.Rebalance.NONE, Optional.empty(), Optional.empty(),
          List.of(new Event("REASSIGNMENT_IMPOSSIBLE", e.getMessage(), Map.of())));
    }
    if (moves.isEmpty()) {
      return new Step(KafkaCluster.Rebalance.NONE, Optional.empty(), Optional.empty(), List.of(new Event(
          "REASSIGNMENT_FINISHED", "partitions are balanced already; nothing to move", Map.of("total", 0))));
    }
    Set<Integer> brokers = cluster.brokers().stream().filter(b -> !b.gone()).map(Broker::nodeId)
        .collect(Collectors.toSet());
    Set<String> topics = moves.keySet().stream().map(PartitionId::topic).collect(Collectors.toSet());
    return new Step(KafkaCluster.Rebalance.RUNNING,
        Optional.of(new Moves(now, moves.size(), topics, brokers, moves.size())),
        Optional.of(new Reassign(brokers, seen.assignment(), moves, throttleBytesPerSecond)),
        List.of(new Event("REASSIGNMENT_STARTED", moves.size() + " partitions move onto brokers " + targets(cluster)
            + ", throttled to " + throttleBytesPerSecond + " bytes/s (" + proposal.bytesToMove() + " bytes to copy"
            + (proposal.unmet().isEmpty() ? "; every goal met after" : "; goals still unmet after: "
                + proposal.unmet()) + ")", Map.of("total", moves.size()))));
  }
}
