package dev.kos.frameworks.apps.core;

import java.util.List;
import java.util.stream.Collectors;

/** The offer has the app's fixed ports and enough ports for its dynamic ones; DYNAMIC when not. */
final class PortsFitRule implements PlacementRule {

  private final List<PortDefinition> wanted;

  PortsFitRule(List<PortDefinition> wanted) {
    this.wanted = List.copyOf(wanted);
  }

  @Override
  public String label() {
    return "ports";
  }

  @Override
  public Verdict evaluate(PlannerOffer offer, List<Agent> placed) {
    if (wanted.isEmpty() || PortChoice.choose(offer.ports(), wanted).isPresent()) {
      return Verdict.FITS;
    }
    List<Integer> missing = wanted.stream().filter(port -> !port.isDynamic()).map(PortDefinition::port)
        .filter(port -> !offer.ports().contains(port)).toList();
    return missing.isEmpty()
        ? veto("not enough free ports (needs " + wanted.size() + ")", Verdict.Kind.DYNAMIC)
        : veto("port " + missing.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " not free",
            Verdict.Kind.DYNAMIC);
  }
}
