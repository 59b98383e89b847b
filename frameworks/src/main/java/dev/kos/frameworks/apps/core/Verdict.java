package dev.kos.frameworks.apps.core;

/** What a {@link PlacementRule} says of one offer: it fits, or it is vetoed with a reason and a kind. */
public sealed interface Verdict {

  Verdict FITS = new Fits();

  /** Whether a veto can lift: STATIC never on this agent, DYNAMIC when the cluster changes. */
  enum Kind { STATIC, DYNAMIC }

  record Fits() implements Verdict {
  }

  /**
   * @param rule the rule's label, e.g. {@code UNIQUE hostname}
   * @param reason why, in words that do not depend on the agent so that vetoes aggregate
   */
  record Vetoed(String rule, String reason, Kind kind) implements Verdict {
  }
}
