package dev.kos.frameworks.apps.core;

import java.util.List;

/**
 * CLUSTER: every instance on one value of the field: the given value (STATIC when an agent has another),
 * or, without a value, the value where the oldest instance runs (DYNAMIC: that instance may go away).
 */
final class ClusterRule extends ConstraintRule {

  ClusterRule(Constraint constraint) {
    super(constraint);
  }

  @Override
  Verdict judge(String value, List<String> placedValues) {
    if (constraint.value().isPresent()) {
      String pinned = constraint.value().get();
      return pinned.equals(value) ? Verdict.FITS
          : veto("is not " + constraint.field() + "=" + pinned, Verdict.Kind.STATIC);
    }
    if (placedValues.isEmpty() || placedValues.get(0).equals(value)) {
      return Verdict.FITS;
    }
    return veto("instances are pinned to " + constraint.field() + "=" + placedValues.get(0)
        + " where the first one runs", Verdict.Kind.DYNAMIC);
  }
}
