package dev.kos.frameworks.apps.core;

import dev.kos.model.Ports;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Which of an offer's ports an instance gets for the ports its app asks for. */
final class PortChoice {

  private PortChoice() {
  }

  /**
   * The ports for {@code wanted}, in its order: a fixed port if offered, otherwise the lowest free offered
   * port; empty when a fixed port is missing or too few ports are offered.
   */
  static Optional<List<Integer>> choose(Ports offered, List<PortDefinition> wanted) {
    Set<Integer> taken = new HashSet<>();
    for (PortDefinition definition : wanted) {
      if (!definition.isDynamic()) {
        if (!offered.contains(definition.port()) || !taken.add(definition.port())) {
          return Optional.empty();
        }
      }
    }
    List<Integer> chosen = new ArrayList<>();
    for (PortDefinition definition : wanted) {
      if (definition.isDynamic()) {
        Optional<Integer> free = offered.lowestNotIn(taken);
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
}
