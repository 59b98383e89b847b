package dev.kos.frameworks.apps.core;

import java.util.List;

/**
 * One feasibility check of an offer for one more instance of an app (a Kubernetes filter plugin, a Nomad
 * feasibility iterator). Rules are built per app; {@code placed} holds the agents of the app's instances
 * already running or placed, one entry per instance, oldest first.
 */
public interface PlacementRule {

  /** How verdicts name this rule, e.g. {@code UNIQUE hostname} or {@code resources}. */
  String label();

  Verdict evaluate(PlannerOffer offer, List<Agent> placed);

  default Verdict.Vetoed veto(String reason, Verdict.Kind kind) {
    return new Verdict.Vetoed(label(), reason, kind);
  }
}
