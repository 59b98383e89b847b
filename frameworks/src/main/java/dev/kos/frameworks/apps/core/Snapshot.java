package dev.kos.frameworks.apps.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one plan sees: desired apps by id, actual instances, outstanding offers, the time, and a
 * plan id that is unique per plan (new instance ids derive from it, so a replay decides the same).
 */
public record Snapshot(Map<String, AppDefinition> apps, List<Instance> instances, List<OfferView> offers,
    Instant now, String planId) {

  public Snapshot {
    apps = Map.copyOf(apps);
    instances = List.copyOf(instances);
    offers = List.copyOf(offers);
  }
}
