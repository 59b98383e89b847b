package dev.kos.frameworks.apps.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The ports an offer still has, as inclusive ranges in the offer's order. */
public record Ports(List<PortRange> ranges) {

  public static final Ports NONE = new Ports(List.of());

  public Ports {
    ranges = List.copyOf(ranges);
  }

  public static Ports range(int begin, int end) {
    return new Ports(List.of(new PortRange(begin, end)));
  }

  public boolean contains(int port) {
    return ranges.stream().anyMatch(range -> range.contains(port));
  }

  /**
   * The ports for {@code wanted}, in its order: a fixed port if offered, otherwise the lowest free offered
   * port; empty when a fixed port is missing or too few ports are offered.
   */
  public Optional<List<Integer>> choose(List<PortDefinition> wanted) {
    Set<Integer> taken = new HashSet<>();
    for (PortDefinition definition : wanted) {
      if (!definition.isDynamic()) {
        if (!contains(definition.port()) || !taken.add(definition.port())) {
          return Optional.empty();
        }
      }
    }
    List<Integer> chosen = new ArrayList<>();
    for (PortDefinition definition : wanted) {
      if (definition.isDynamic()) {
        Optional<Integer> free = lowestFree(taken);
        if (free.isEmpty()) {
          return Optional.empty();
        }
        taken.add(free.get());
        chosen.add(free.get());
      } else {
        chosen.add(definition.port());
      }
    }
    return Optional.of(chosen);
  }

  /** These ports without {@code used}. */
  public Ports minus(List<Integer> used) {
    List<PortRange> left = new ArrayList<>(ranges);
    for (int port : used) {
      List<PortRange> next = new ArrayList<>();
      for (PortRange range : left) {
        if (!range.contains(port)) {
          next.add(range);
          continue;
        }
        if (range.begin() < port) {
          next.add(new PortRange(range.begin(), port - 1));
        }
        if (port < range.end()) {
          next.add(new PortRange(port + 1, range.end()));
        }
      }
      left = next;
    }
    return new Ports(left);
  }

  private Optional<Integer> lowestFree(Set<Integer> taken) {
    for (PortRange range : ranges) {
      for (int port = range.begin(); port <= range.end(); port++) {
        if (!taken.contains(port)) {
          return Optional.of(port);
        }
      }
    }
    return Optional.empty();
  }
}
