package dev.kos.frameworks.apps.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one plan sees: desired apps by id, actual instances, outstanding offers, the time, a
 * plan id that is unique per plan (new instance ids derive from it, so a replay decides the same),
 * and the agents being drained (their instances move elsewhere; their offers take nothing).
 */
public record Snapshot(Map<String, AppDefinition> apps, List<Instance> instances, List<PlannerOffer> offers,
    Instant now, String planId, Set<String> drainingAgents) {

  public Snapshot {
    apps = Map.copyOf(apps);
    instances = List.copyOf(instances);
    offers = List.copyOf(offers);
    drainingAgents = Set.copyOf(drainingAgents);
  }

  public Snapshot(Map<String, AppDefinition> apps, List<Instance> instances, List<PlannerOffer> offers, Instant now,
      String planId) {
    this(apps, instances, offers, now, planId, Set.of());
  }
}
