package dev.kos.frameworks.apps.core;

import java.util.List;

/** A stateful instance goes back to the agent holding its volumes; every other agent is vetoed STATIC. */
final class ResidencyRule implements PlacementRule {

  private final String agentId;

  ResidencyRule(String agentId) {
    this.agentId = agentId;
  }

  @Override
  public String label() {
    return "residency";
  }

  @Override
  public Verdict evaluate(PlannerOffer offer, List<Agent> placed) {
    return offer.agent().agentId().equals(agentId) ? Verdict.FITS
        : veto("the instance's volumes live on agent " + agentId, Verdict.Kind.STATIC);
  }
}
