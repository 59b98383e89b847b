package dev.kos.frameworks.apps.core;

import dev.kos.model.Resources;
import java.util.List;

/** A stateful instance's home: the agent holding its reserved resources and its volumes. */
public record Residency(Agent agent, Resources reserved, List<InstanceVolume> volumes) {

  public Residency {
    volumes = List.copyOf(volumes);
  }
}
