package dev.kos.frameworks.apps.core;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * GROUP_BY [N]: spread instances evenly over the field's values. A value may take one more instance only
 * if no other used value has fewer; while fewer than N values are used, only a new value may take one.
 */
final class GroupByRule extends ConstraintRule {

  private final int groups;

  GroupByRule(Constraint constraint) {
    super(constraint);
    this.groups = constraint.value().map(v -> Integer.parseInt(v.trim())).orElse(1);
  }

  @Override
  Verdict judge(String value, List<String> placedValues) {
    Map<String, Long> counts = placedValues.stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    long here = counts.getOrDefault(value, 0L);
    if (here > 0 && counts.size() < groups) {
      return veto("already has an instance while fewer than " + groups + " values are used",
          Verdict.Kind.DYNAMIC);
    }
    long fewest = counts.size() < groups ? 0 : counts.values().stream().mapToLong(Long::longValue).min().orElse(0);
    return here > fewest
        ? veto("has more instances than another " + constraint.field(), Verdict.Kind.DYNAMIC)
        : Verdict.FITS;
  }
}
