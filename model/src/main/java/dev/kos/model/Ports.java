package dev.kos.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A set of ports held as sorted, disjoint, non-adjacent inclusive ranges.
 * The canonical form makes {@code equals} mean set equality and keeps every operation a linear merge.
 */
public record Ports(List<PortRange> ranges) {

  public static final Ports NONE = new Ports(List.of());

  public Ports {
    ranges = isCanonical(ranges) ? List.copyOf(ranges) : canonical(ranges);
  }

  public static Ports range(int begin, int end) {
    return new Ports(List.of(new PortRange(begin, end)));
  }

  /** The set of exactly these ports. */
  public static Ports of(Collection<Integer> ports) {
    return ports.isEmpty() ? NONE : new Ports(ports.stream().map(port -> new PortRange(port, port)).toList());
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  public boolean contains(int port) {
    return ranges.stream().anyMatch(range -> range.contains(port));
  }

  public Ports plus(Ports other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    List<PortRange> all = new ArrayList<>(ranges);
    all.addAll(other.ranges);
    return new Ports(all);
  }

  public Ports minus(Ports other) {
    if (isEmpty() || other.isEmpty()) {
      return this;
    }
    List<PortRange> result = new ArrayList<>();
    int j = 0;
    for (PortRange range : ranges) {
      int begin = range.begin();
      while (j < other.ranges.size() && other.ranges.get(j).end() < begin) {
        j++;
      }
      int k = j;
      while (begin <= range.end() && k < other.ranges.size() && other.ranges.get(k).begin() <= range.end()) {
        PortRange cut = other.ranges.get(k);
        if (cut.begin() > begin) {
          result.add(new PortRange(begin, cut.begin() - 1));
        }
        begin = Math.max(begin, cut.end() + 1);
        k++;
      }
      if (begin <= range.end()) {
        result.add(new PortRange(begin, range.end()));
      }
    }
    return new Ports(result);
  }

  /** These ports without {@code used}. */
  public Ports minus(Collection<Integer> used) {
    return minus(of(used));
  }

  public Ports intersect(Ports other) {
    if (isEmpty() || other.isEmpty()) {
      return NONE;
    }
    List<PortRange> result = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < ranges.size() && j < other.ranges.size()) {
      PortRange a = ranges.get(i);
      PortRange b = other.ranges.get(j);
      int begin = Math.max(a.begin(), b.begin());
      int end = Math.min(a.end(), b.end());
      if (begin <= end) {
        result.add(new PortRange(begin, end));
      }
      if (a.end() < b.end()) {
        i++;
      } else {
        j++;
      }
    }
    return new Ports(result);
  }

  public boolean containsAll(Ports other) {
    return other.isEmpty() || other.minus(this).isEmpty();
  }

  /** Whether every one of {@code ports} is in this set. */
  public boolean containsAll(Collection<Integer> ports) {
    return ports.stream().allMatch(this::contains);
  }

  /** The lowest port of this set not in {@code taken}, if any. */
  public Optional<Integer> lowestNotIn(Set<Integer> taken) {
    for (PortRange range : ranges) {
      for (int port = range.begin(); port <= range.end(); port++) {
        if (!taken.contains(port)) {
          return Optional.of(port);
        }
      }
    }
    return Optional.empty();
  }

  /** The lowest {@code count} ports of this set, or fewer when it has fewer. */
  public List<Integer> lowest(int count) {
    List<Integer> lowest = new ArrayList<>();
    for (PortRange range : ranges) {
      for (int port = range.begin(); port <= range.end() && lowest.size() < count; port++) {
        lowest.add(port);
      }
    }
    return List.copyOf(lowest);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("[");
    for (PortRange range : ranges) {
      text.append(text.length() > 1 ? "," : "").append(range.begin()).append('-').append(range.end());
    }
    return text.append(']').toString();
  }

  private static boolean isCanonical(List<PortRange> ranges) {
    for (int i = 1; i < ranges.size(); i++) {
      if (ranges.get(i).begin() <= ranges.get(i - 1).end() + 1L) {
        return false;
      }
    }
    return true;
  }

  private static List<PortRange> canonical(List<PortRange> ranges) {
    List<PortRange> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingInt(PortRange::begin));
    List<PortRange> merged = new ArrayList<>();
    PortRange current = sorted.get(0);
    for (PortRange next : sorted.subList(1, sorted.size())) {
      if (current.overlapsOrTouches(next)) {
        current = new PortRange(current.begin(), Math.max(current.end(), next.end()));
      } else {
        merged.add(current);
        current = next;
      }
    }
    merged.add(current);
    return List.copyOf(merged);
  }
}
