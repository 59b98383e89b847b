package dev.kos.frameworks.kafka.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A balanced replica assignment over a set of brokers, reached with few moves: replicas on brokers outside the
 * set go to the least loaded brokers, then single replicas move from the most to the least loaded broker until
 * replica counts differ by at most one, and finally preferred leaders are evened out by reordering replicas
 * (which moves no data). Deterministic: ties break by broker id and partition order.
 */
public final class Reassignment {

  private Reassignment() {
  }

  /**
   * The partitions whose replica list changes, with their new lists (preferred leader first).
   *
   * @throws IllegalArgumentException when a partition has more replicas than there are brokers
   */
  public static Map<PartitionId, List<Integer>> balance(Map<PartitionId, List<Integer>> current,
      Set<Integer> brokers) {
    SortedSet<Integer> targets = new TreeSet<>(brokers);
    Map<PartitionId, List<Integer>> next = new TreeMap<>();
    current.forEach((partition, replicas) -> next.put(partition, new ArrayList<>(replicas)));
    Map<Integer, Integer> load = new HashMap<>();
    targets.forEach(b -> load.put(b, 0));
    next.values().forEach(replicas -> replicas.stream().filter(targets::contains)
        .forEach(b -> load.merge(b, 1, Integer::sum)));
    for (Map.Entry<PartitionId, List<Integer>> entry : next.entrySet()) {
      List<Integer> replicas = entry.getValue();
      if (replicas.size() > targets.size()) {
        throw new IllegalArgumentException("partition " + entry.getKey() + " has " + replicas.size()
            + " replicas but only " + targets.size() + " brokers would remain " + targets);
      }
      for (int i = 0; i < replicas.size(); i++) {
        if (!targets.contains(replicas.get(i))) {
          int to = leastLoaded(targets, load, replicas);
          replicas.set(i, to);
          load.merge(to, 1, Integer::sum);
        }
      }
    }
    evenOut(next, targets, load);
    evenOutLeaders(next, targets);
    Map<PartitionId, List<Integer>> changed = new TreeMap<>();
    next.forEach((partition, replicas) -> {
      if (!replicas.equals(current.get(partition))) {
        changed.put(partition, List.copyOf(replicas));
      }
    });
    return changed;
  }

  private static void evenOut(Map<PartitionId, List<Integer>> next, SortedSet<Integer> targets,
      Map<Integer, Integer> load) {
    while (true) {
      int most = targets.stream().max(byLoad(load)).orElseThrow();
      int least = targets.stream().min(byLoad(load)).orElseThrow();
      if (load.get(most) - load.get(least) <= 1) {
        return;
      }
      boolean moved = false;
      for (List<Integer> replicas : next.values()) {
        int at = replicas.indexOf(most);
        if (at >= 0 && !replicas.contains(least)) {
          replicas.set(at, least);
          load.merge(most, -1, Integer::sum);
          load.merge(least, 1, Integer::sum);
          moved = true;
          break;
        }
      }
      if (!moved) {
        return;
      }
    }
  }

  private static void evenOutLeaders(Map<PartitionId, List<Integer>> next, SortedSet<Integer> targets) {
    Map<Integer, Integer> leaders = new HashMap<>();
    targets.forEach(b -> leaders.put(b, 0));
    next.values().forEach(replicas -> leaders.merge(replicas.get(0), 1, Integer::sum));
    while (true) {
      int most = targets.stream().max(byLoad(leaders)).orElseThrow();
      int least = targets.stream().min(byLoad(leaders)).orElseThrow();
      if (leaders.get(most) - leaders.get(least) <= 1) {
        return;
      }
      boolean swapped = false;
      for (List<Integer> replicas : next.values()) {
        int at = replicas.indexOf(least);
        if (replicas.get(0) == most && at > 0) {
          replicas.set(at, most);
          replicas.set(0, least);
          leaders.merge(most, -1, Integer::sum);
          leaders.merge(least, 1, Integer::sum);
          swapped = true;
          break;
        }
      }
      if (!swapped) {
        return;
      }
    }
  }

  private static int leastLoaded(SortedSet<Integer> targets, Map<Integer, Integer> load, List<Integer> taken) {
    return targets.stream().filter(b -> !taken.contains(b)).min(byLoad(load)).orElseThrow();
  }

  /** Load first, then broker id, so that ties go the same way every time. */
  private static Comparator<Integer> byLoad(Map<Integer, Integer> load) {
    return Comparator.<Integer>comparingInt(load::get).thenComparing(Comparator.naturalOrder());
  }
}
