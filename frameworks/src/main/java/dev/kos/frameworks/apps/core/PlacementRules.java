package dev.kos.frameworks.apps.core;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The rules an offer must pass for one more instance of an app: resources, ports, then each constraint. */
public final class PlacementRules {

  private PlacementRules() {
  }

  /** The rules for {@code app}; expects a definition without {@link AppValidator} violations. */
  public static List<PlacementRule> forApp(AppDefinition app) {
    List<PlacementRule> rules = new ArrayList<>();
    rules.add(new ResourcesFitRule(app.resources()));
    rules.add(new PortsFitRule(app.ports()));
    app.placementConstraints().stream().map(PlacementRules::forConstraint).forEach(rules::add);
    return List.copyOf(rules);
  }

  /** {@link #forApp} plus: only on the agent holding the instance's volumes. */
  public static List<PlacementRule> forResident(AppDefinition app, String agentId) {
    List<PlacementRule> rules = new ArrayList<>(forApp(app));
    rules.add(new ResidencyRule(agentId));
    return List.copyOf(rules);
  }

  public static PlacementRule forConstraint(Constraint constraint) {
    return switch (constraint.operator()) {
      case UNIQUE -> new UniqueRule(constraint);
      case CLUSTER -> new ClusterRule(constraint);
      case GROUP_BY -> new GroupByRule(constraint);
      case MAX_PER -> new MaxPerRule(constraint);
      case LIKE -> new LikeRule(constraint);
      case UNLIKE -> new UnlikeRule(constraint);
    };
  }

  /** Every veto {@code rules} give {@code offer}; empty when it fits. */
  public static List<Verdict.Vetoed> vetoes(List<PlacementRule> rules, PlannerOffer offer, List<Agent> placed) {
    return rules.stream().map(rule -> rule.evaluate(offer, placed))
        .flatMap(verdict -> verdict instanceof Verdict.Vetoed vetoed ? Stream.of(vetoed)
            : Stream.empty())
        .toList();
  }
}
