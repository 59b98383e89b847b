package dev.kos.frameworks.apps.core;

import java.util.List;
import java.util.regex.Pattern;

/** UNLIKE regex: only agents whose value of the field does not match; an agent without it fits. */
final class UnlikeRule extends ConstraintRule {

  private final Pattern pattern;

  UnlikeRule(Constraint constraint) {
    super(constraint);
    this.pattern = Pattern.compile(constraint.value().orElseThrow());
  }

  @Override
  Verdict whenMissing() {
    return Verdict.FITS;
  }

  @Override
  Verdict judge(String value, List<String> placedValues) {
    return pattern.matcher(value).matches()
        ? veto("matches " + pattern.pattern(), Verdict.Kind.STATIC)
        : Verdict.FITS;
  }
}
