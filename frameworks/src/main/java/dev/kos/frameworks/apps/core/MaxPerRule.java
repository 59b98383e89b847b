package dev.kos.frameworks.apps.core;

import java.util.List;

/** MAX_PER N: at most N instances per value of the field. */
final class MaxPerRule extends ConstraintRule {

  private final int max;

  MaxPerRule(Constraint constraint) {
    super(constraint);
    this.max = Integer.parseInt(constraint.value().orElseThrow().trim());
  }

  @Override
  Verdict judge(String value, List<String> placedValues) {
    return count(placedValues, value) >= max
        ? veto("already runs " + max + " instances", Verdict.Kind.DYNAMIC)
        : Verdict.FITS;
  }
}
