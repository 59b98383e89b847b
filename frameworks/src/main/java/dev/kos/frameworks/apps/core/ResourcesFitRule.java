package dev.kos.frameworks.apps.core;

import dev.kos.model.Resources;
import java.util.ArrayList;
import java.util.List;

/** The offer has the cpus, mem and disk (volumes included) one instance needs; DYNAMIC when short. */
final class ResourcesFitRule implements PlacementRule {

  private final Resources needed;

  ResourcesFitRule(Resources needed) {
    this.needed = needed;
  }

  @Override
  public String label() {
    return "resources";
  }

  @Override
  public Verdict evaluate(PlannerOffer offer, List<Agent> placed) {
    Resources has = offer.resources();
    List<String> missing = new ArrayList<>();
    if (has.cpus() < needed.cpus()) {
      missing.add(needed.cpus() + " cpus");
    }
    if (has.mem() < needed.mem()) {
      missing.add(needed.mem() + " MiB mem");
    }
    if (has.disk() < needed.disk()) {
      missing.add(needed.disk() + " MiB disk");
    }
    return missing.isEmpty() ? Verdict.FITS
        : veto("not enough free (needs " + String.join(", ", missing) + ")", Verdict.Kind.DYNAMIC);
  }
}
