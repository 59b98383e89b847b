package dev.kos.frameworks.apps.core;

import dev.kos.model.Ports;
import dev.kos.model.Resources;
import java.util.List;

/** What the planner knows of an outstanding offer; {@link #minus} is what is left after a launch on it. */
public record PlannerOffer(String offerId, Agent agent, Resources resources, Ports ports) {

  public PlannerOffer minus(Resources used, List<Integer> usedPorts) {
    return new PlannerOffer(offerId, agent, resources.minus(used), ports.minus(usedPorts));
  }
}
