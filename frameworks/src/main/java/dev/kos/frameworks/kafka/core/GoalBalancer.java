package dev.kos.frameworks.kafka.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Goal-based rebalancing, as Cruise Control does it: goals in priority order, each optimized in turn by single
 * replica moves (or leader moves, which move no data) that make it better and make no goal before it worse.
 * Replicas on brokers that are not targets (being removed) move off first, whatever the goals say.
 *
 * <p>Pure and deterministic: immutable inputs, candidates tried in partition and broker order, the best one taken,
 * ties to the first. Every goal's state is reported before and after, so a proposal says what it fixes and what
 * it could not.
 */
public final class GoalBalancer {

  /** The goals, highest priority first. */
  public enum Goal {
    /** No zone holds more of a partition's replicas than ceil(replicas / zones). */
    RACK,
    /** No broker's replicas take more than the threshold of its disk. */
    DISK,
    /** No broker takes in (producers and replication) more than the threshold of its network in capacity. */
    NETWORK_IN,
    /** No broker sends (consumers and followers, from its leaders) more than the threshold of its capacity. */
    NETWORK_OUT,
    /** Replicas per broker differ by at most one: the rule kos used alone before. */
    REPLICA_COUNT,
    /** Preferred leaders per broker differ by at most one (reordering replicas: no data moves). */
    LEADER_COUNT
  }

  /**
   * A target broker's zone and capacities; a capacity of 0 means unknown, and its goal does not judge it.
   */
  public record BrokerCapacity(int id, Optional<String> rack, long diskBytes, double networkInBytesPerSec,
      double networkOutBytesPerSec) {
    public BrokerCapacity {
      Objects.requireNonNull(rack, "rack");
    }

    public static BrokerCapacity unlimited(int id, Optional<String> rack) {
      return new BrokerCapacity(id, rack, 0, 0, 0);
    }
  }

  /**
   * A partition: its replicas (preferred leader first), the size of one replica, and the traffic of its leader:
   * bytes produced to it and consumed from it per second.
   */
  public record PartitionLoad(List<Integer> replicas, long bytes, double bytesInPerSec, double bytesOutPerSec) {
    public PartitionLoad {
      replicas = List.copyOf(replicas);
    }

    public static PartitionLoad of(List<Integer> replicas, long bytes) {
      return new PartitionLoad(replicas, bytes, 0, 0);
    }
  }

  /**
   * What to balance: every partition, and the brokers partitions should live on (any broker outside them is
   * evacuated). {@code threshold} is the share of a capacity a broker may use (0.8: 80 %).
   */
  public record Input(Map<PartitionId, PartitionLoad> partitions, Map<Integer, BrokerCapacity> targets,
      double threshold) {
    public Input {
      partitions = Map.copyOf(partitions);
      targets = Map.copyOf(targets);
      if (targets.isEmpty()) {
        throw new IllegalArgumentException("no target brokers to balance onto");
      }
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("the capacity threshold is a share in (0, 1], not " + threshold);
      }
    }
  }

  /** One goal's state: met or not, and the figure that says how far. */
  public record GoalState(Goal goal, boolean met, String detail) {
  }

  /**
   * A proposal: the partitions whose replica list changes (new list, preferred leader first), the bytes that
   * must be copied, how many replicas and preferred leaders move, and each goal before and after.
   */
  public record Proposal(Map<PartitionId, List<Integer>> moves, long bytesToMove, int replicaMoves, int leaderMoves,
      List<GoalState> before, List<GoalState> after, int evacuatedBefore, int evacuatedAfter) {
    public Proposal {
      moves = java.util.Collections.unmodifiableMap(new TreeMap<>(moves)); // in partition order, for people
      before = List.copyOf(before);
      after = List.copyOf(after);
    }

    /** How long copying {@link #bytesToMove} takes at the replication throttle. */
    public Duration timeAt(long throttleBytesPerSecond) {
      return throttleBytesPerSecond <= 0 ? Duration.ZERO
          : Duration.ofMillis((long) Math.ceil(bytesToMove * 1000.0 / throttleBytesPerSecond));
    }

    /** The goals met before and not after: none, unless a goal above them needed it. */
    public List<Goal> unmet() {
      return after.stream().filter(g -> !g.met()).map(GoalState::goal).toList();
    }
  }

  /** Candidate evaluations per goal at most: a bound, so that a huge cluster still gets an answer. */
  static final int MAX_STEPS_PER_GOAL = 10_000;

  private GoalBalancer() {
  }

  public static Proposal propose(Input input) {
    State state = new State(input);
    List<GoalState> before = state.report();
    int evacuatedBefore = (int) Math.round(state.evacuation());
    state.optimizeEvacuation();
    for (Goal goal : Goal.values()) {
      state.optimize(goal);
    }
    return state.proposal(before, evacuatedBefore);
  }

  /** The assignment being improved, with per-broker sums kept up to date by {@link #apply}. */
  private static final class State {
    private final Input input;
    private final SortedSet<Integer> targets;
    private final Map<PartitionId, List<Integer>> assignment = new TreeMap<>();
    private final Map<Integer, double[]> sums = new HashMap<>();
    private final int racks;
    /** The RACK goal's violation, kept up to date by {@link #apply}: summing it over all partitions per candidate
     * made a proposal quadratic in the partitions. */
    private double rackTotal;
    private static final int REPLICAS = 0;
    private static final int LEADERS = 1;
    private static final int DISK = 2;
    private static final int IN = 3;
    private static final int OUT = 4;

    State(Input input) {
      this.input = input;
      this.targets = new TreeSet<>(input.targets().keySet());
      Set<String> zones = new HashSet<>();
      input.targets().values().forEach(b -> b.rack().ifPresent(zones::add));
      this.racks = zones.size();
      new TreeMap<>(input.partitions()).forEach((p, load) -> {
        assignment.put(p, new ArrayList<>(load.replicas()));
        add(p);
        rackTotal += rackExcess(load.replicas());
      });
    }

    private double[] sum(int broker) {
      return sums.computeIfAbsent(broker, b -> new double[5]);
    }

    private void add(PartitionId p) {
      change(p, 1);
    }

    private void remove(PartitionId p) {
      change(p, -1);
    }

    private void change(PartitionId p, int sign) {
      PartitionLoad load = input.partitions().get(p);
      List<Integer> replicas = assignment.get(p);
      for (int i = 0; i < replicas.size(); i++) {
        double[] s = sum(replicas.get(i));
        s[REPLICAS] += sign;
        s[DISK] += sign * (double) load.bytes();
        s[IN] += sign * load.bytesInPerSec();
        if (i == 0) {
          s[LEADERS] += sign;
          s[OUT] += sign * (load.bytesOutPerSec() + load.bytesInPerSec() * (replicas.size() - 1));
        }
      }
    }

    /** Replaces the partition's replica list; returns the old one, for undo. */
    private List<Integer> apply(PartitionId p, List<Integer> next) {
      remove(p);
      List<Integer> old = assignment.put(p, next);
      add(p);
      rackTotal += rackExcess(next) - rackExcess(old);
      return old;
    }

    double evacuation() {
      return assignment.values().stream().flatMap(List::stream).filter(b -> !targets.contains(b)).count();
    }

    double violation(Goal goal) {
      return switch (goal) {
        case RACK -> rackTotal;
        case DISK -> overCapacity(DISK, b -> (double) b.diskBytes());
        case NETWORK_IN -> overCapacity(IN, BrokerCapacity::networkInBytesPerSec);
        case NETWORK_OUT -> overCapacity(OUT, BrokerCapacity::networkOutBytesPerSec);
        case REPLICA_COUNT -> spread(REPLICAS);
        case LEADER_COUNT -> spread(LEADERS);
      };
    }

    private double rackExcess(List<Integer> replicas) {
      if (racks < 2) {
        return 0;
      }
      Map<String, Integer> perRack = new HashMap<>();
      replicas.forEach(b -> perRack.merge(rackOf(b), 1, Integer::sum));
      int allowed = (replicas.size() + racks - 1) / racks;
      return perRack.values().stream().mapToInt(n -> Math.max(0, n - allowed)).sum();
    }

    private String rackOf(int broker) {
      BrokerCapacity capacity = input.targets().get(broker);
      return capacity == null ? "(leaving " + broker + ")" : capacity.rack().orElse("-");
    }

    /** Share of capacity used above the threshold, summed over brokers with a known capacity. */
    private double overCapacity(int index, java.util.function.ToDoubleFunction<BrokerCapacity> capacity) {
      double over = 0;
      for (BrokerCapacity b : input.targets().values()) {
        double cap = capacity.applyAsDouble(b);
        if (cap > 0) {
          over += Math.max(0, sum(b.id())[index] / cap - input.threshold());
        }
      }
      return over;
    }

    /** How far counts stray outside [floor(avg), ceil(avg)]: 0 exactly when max - min <= 1. */
    private double spread(int index) {
      double total = targets.stream().mapToDouble(b -> sum(b)[index]).sum();
      double avg = total / targets.size();
      double floor = Math.floor(avg);
      double ceil = Math.ceil(avg);
      return targets.stream().mapToDouble(b -> {
        double n = sum(b)[index];
        return Math.max(0, n - ceil) + Math.max(0, floor - n);
      }).sum();
    }

    void optimizeEvacuation() {
      for (PartitionId p : List.copyOf(assignment.keySet())) {
        List<Integer> replicas = assignment.get(p);
        for (int i = 0; i < replicas.size(); i++) {
          if (targets.contains(assignment.get(p).get(i))) {
            continue;
          }
          List<Integer> current = assignment.get(p);
          // Onto the target whose taking it leaves the goals best, in priority order.
          Optional<List<Integer>> best = Optional.empty();
          double[] bestScore = null;
          for (int to : targets) {
            if (current.contains(to)) {
              continue;
            }
            List<Integer> next = new ArrayList<>(current);
            next.set(i, to);
            List<Integer> old = apply(p, next);
            double[] score = scores();
            apply(p, old);
            if (bestScore == null || lexLess(score, bestScore)) {
              bestScore = score;
              best = Optional.of(next);
            }
          }
          if (best.isEmpty()) {
            throw new IllegalArgumentException("partition " + p + " has " + current.size() + " replicas but only "
                + targets.size() + " brokers would remain " + targets);
          }
          apply(p, best.get());
        }
      }
    }

    private double[] scores() {
      Goal[] goals = Goal.values();
      double[] scores = new double[goals.length];
      for (int g = 0; g < goals.length; g++) {
        scores[g] = violation(goals[g]);
      }
      return scores;
    }

    private static boolean lexLess(double[] a, double[] b) {
      for (int i = 0; i < a.length; i++) {
        if (a[i] < b[i] - 1e-9) {
          return true;
        }
        if (a[i] > b[i] + 1e-9) {
          return false;
        }
      }
      return false;
    }

    /** Single moves that make {@code goal} better and no goal above it worse, best first, until none is left. */
    void optimize(Goal goal) {
      for (int step = 0; step < MAX_STEPS_PER_GOAL; step++) {
        double now = violation(goal);
        if (now <= 1e-9) {
          return;
        }
        double[] above = above(goal);
        PartitionId bestPartition = null;
        List<Integer> bestList = null;
        double bestValue = now - 1e-9;
        for (Map.Entry<PartitionId, List<Integer>> entry : List.copyOf(assignment.entrySet())) {
          PartitionId p = entry.getKey();
          for (List<Integer> candidate : candidates(goal, entry.getValue())) {
            List<Integer> old = apply(p, candidate);
            double value = violation(goal);
            boolean better = value < bestValue && noWorse(goal, above);
            apply(p, old);
            if (better) {
              bestValue = value;
              bestPartition = p;
              bestList = candidate;
            }
          }
        }
        if (bestPartition == null) {
          return;
        }
        apply(bestPartition, bestList);
      }
    }

    private double[] above(Goal goal) {
      double[] values = new double[goal.ordinal()];
      for (int g = 0; g < goal.ordinal(); g++) {
        values[g] = violation(Goal.values()[g]);
      }
      return values;
    }

    private boolean noWorse(Goal goal, double[] above) {
      for (int g = 0; g < goal.ordinal(); g++) {
        if (violation(Goal.values()[g]) > above[g] + 1e-9) {
          return false;
        }
      }
      return true;
    }

    /** Leader goals reorder replicas (no data moves); the others move one replica to a target it lacks. */
    private List<List<Integer>> candidates(Goal goal, List<Integer> replicas) {
      List<List<Integer>> candidates = new ArrayList<>();
      if (goal == Goal.LEADER_COUNT || goal == Goal.NETWORK_OUT) {
        for (int i = 1; i < replicas.size(); i++) {
          List<Integer> swapped = new ArrayList<>(replicas);
          swapped.set(0, replicas.get(i));
          swapped.set(i, replicas.get(0));
          candidates.add(swapped);
        }
      }
      if (goal != Goal.LEADER_COUNT) {
        for (int i = 0; i < replicas.size(); i++) {
          for (int to : targets) {
            if (!replicas.contains(to)) {
              List<Integer> moved = new ArrayList<>(replicas);
              moved.set(i, to);
              candidates.add(moved);
            }
          }
        }
      }
      return candidates;
    }

    List<GoalState> report() {
      List<GoalState> states = new ArrayList<>();
      for (Goal goal : Goal.values()) {
        states.add(new GoalState(goal, violation(goal) <= 1e-9, detail(goal)));
      }
      return states;
    }

    private String detail(Goal goal) {
      return switch (goal) {
        case RACK -> racks < 2 ? "fewer than 2 zones among the brokers: nothing to spread"
            : assignment.values().stream().filter(r -> rackExcess(r) > 0).count()
                + " partitions with more replicas in one zone than ceil(replicas / " + racks + " zones)";
        case DISK -> used(DISK, b -> (double) b.diskBytes(), "disk");
        case NETWORK_IN -> used(IN, BrokerCapacity::networkInBytesPerSec, "network in");
        case NETWORK_OUT -> used(OUT, BrokerCapacity::networkOutBytesPerSec, "network out");
        case REPLICA_COUNT -> range(REPLICAS, "replicas");
        case LEADER_COUNT -> range(LEADERS, "preferred leaders");
      };
    }

    private String used(int index, java.util.function.ToDoubleFunction<BrokerCapacity> capacity, String what) {
      double max = -1;
      int at = -1;
      for (int b : targets) {
        double cap = capacity.applyAsDouble(input.targets().get(b));
        if (cap > 0 && sum(b)[index] / cap > max) {
          max = sum(b)[index] / cap;
          at = b;
        }
      }
      return at < 0 ? "no " + what + " capacity known: not judged"
          : String.format("at most %.0f %% of %s capacity (broker %d), threshold %.0f %%", max * 100, what, at,
              input.threshold() * 100);
    }

    private String range(int index, String what) {
      int min = targets.stream().mapToInt(b -> (int) sum(b)[index]).min().orElse(0);
      int max = targets.stream().mapToInt(b -> (int) sum(b)[index]).max().orElse(0);
      return what + " per broker " + min + ".." + max;
    }

    Proposal proposal(List<GoalState> before, int evacuatedBefore) {
      Map<PartitionId, List<Integer>> moves = new TreeMap<>();
      long bytes = 0;
      int replicaMoves = 0;
      int leaderMoves = 0;
      for (Map.Entry<PartitionId, List<Integer>> entry : assignment.entrySet()) {
        PartitionLoad load = input.partitions().get(entry.getKey());
        List<Integer> now = entry.getValue();
        if (now.equals(load.replicas())) {
          continue;
        }
        moves.put(entry.getKey(), List.copyOf(now));
        long added = now.stream().filter(b -> !load.replicas().contains(b)).count();
        replicaMoves += (int) added;
        bytes += added * load.bytes();
        if (!now.get(0).equals(load.replicas().get(0))) {
          leaderMoves++;
        }
      }
      return new Proposal(moves, bytes, replicaMoves, leaderMoves, before, report(), evacuatedBefore,
          (int) Math.round(evacuation()));
    }
  }
}
