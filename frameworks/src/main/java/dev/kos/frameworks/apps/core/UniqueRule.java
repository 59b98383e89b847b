package dev.kos.frameworks.apps.core;

import java.util.List;

/** UNIQUE: at most one instance per value of the field (per hostname, per rack). */
final class UniqueRule extends ConstraintRule {

  UniqueRule(Constraint constraint) {
    super(constraint);
  }

  @Override
  Verdict judge(String value, List<String> placedValues) {
    return placedValues.contains(value)
        ? veto("already runs an instance", Verdict.Kind.DYNAMIC)
        : Verdict.FITS;
  }
}
