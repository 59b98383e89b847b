package dev.kos.frameworks.apps.core;

import java.util.List;
import java.util.Optional;

/**
 * The shape every constraint shares: look up the offer's value of the field (hostname or attribute) and
 * the values of the placed instances, then judge. An agent without the attribute is vetoed STATIC unless
 * the rule says otherwise.
 */
abstract class ConstraintRule implements PlacementRule {

  protected final Constraint constraint;

  ConstraintRule(Constraint constraint) {
    this.constraint = constraint;
  }

  @Override
  public String label() {
    return constraint.label();
  }

  @Override
  public Verdict evaluate(PlannerOffer offer, List<Agent> placed) {
    Optional<String> value = offer.agent().valueOf(constraint.field());
    if (value.isEmpty()) {
      return whenMissing();
    }
    List<String> placedValues = placed.stream().map(agent -> agent.valueOf(constraint.field()))
        .flatMap(Optional::stream).toList();
    return judge(value.get(), placedValues);
  }

  Verdict whenMissing() {
    return veto("agent has no attribute " + constraint.field(), Verdict.Kind.STATIC);
  }

  abstract Verdict judge(String value, List<String> placedValues);

  static long count(List<String> values, String value) {
    return values.stream().filter(value::equals).count();
  }
}
