package dev.kos.bus.testing.architecture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/** Tarjan's strongly connected components: the groups of nodes that reach each other, groups of one left out. */
final class Cycles {

  private Cycles() {
  }

  static List<List<String>> stronglyConnected(Collection<String> nodes, Function<String, Collection<String>> next) {
    return new Tarjan(next).run(nodes);
  }

  private static final class Tarjan {
    private final Function<String, Collection<String>> next;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final List<List<String>> groups = new ArrayList<>();

    Tarjan(Function<String, Collection<String>> next) {
      this.next = next;
    }

    List<List<String>> run(Collection<String> nodes) {
      nodes.forEach(n -> {
        if (!index.containsKey(n)) {
          visit(n);
        }
      });
      return groups;
    }

    private void visit(String node) {
      index.put(node, index.size());
      low.put(node, index.get(node));
      stack.push(node);
      for (String to : next.apply(node)) {
        if (!index.containsKey(to)) {
          visit(to);
          low.put(node, Math.min(low.get(node), low.get(to)));
        } else if (stack.contains(to)) {
          low.put(node, Math.min(low.get(node), index.get(to)));
        }
      }
      if (low.get(node).equals(index.get(node))) {
        TreeSet<String> group = new TreeSet<>();
        String member;
        do {
          member = stack.pop();
          group.add(member);
        } while (!member.equals(node));
        if (group.size() > 1) {
          groups.add(new ArrayList<>(group));
        }
      }
    }
  }
}
