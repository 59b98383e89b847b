package dev.kos.frameworks.apps.core;

import java.util.List;
import java.util.regex.Pattern;

/** LIKE regex: only agents whose value of the field matches the whole regular expression. */
final class LikeRule extends ConstraintRule {

  private final Pattern pattern;

  LikeRule(Constraint constraint) {
    super(constraint);
    this.pattern = Pattern.compile(constraint.value().orElseThrow());
  }

  @Override
  Verdict judge(String value, List<String> placedValues) {
    return pattern.matcher(value).matches()
        ? Verdict.FITS
        : veto("does not match " + pattern.pattern(), Verdict.Kind.STATIC);
  }
}
