package dev.kos.allocator.core;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The allocator's book of one framework: its registration, its outstanding offers, how many it may hold, and its
 * decline filters.
 */
final class FrameworkState {

  FrameworkSpec spec;
  final Set<String> offerIds = new LinkedHashSet<>();
  /** How many offers it may hold unanswered from this core now; moved by {@link OfferWindow} (decision 0023). */
  private int offerWindow;
  /** Agent id to the instant until which the framework refused that agent. */
  private final Map<String, Instant> refusedUntil = new HashMap<>();
  private int sizeAfterLastPurge;

  FrameworkState(FrameworkSpec spec, OfferWindow window) {
    this.spec = spec;
    this.offerWindow = window.initial();
  }

  /** Whether it holds fewer offers than it may: a round may offer it another. */
  boolean belowOfferWindow() {
    return offerIds.size() < offerWindow;
  }

  /** It launched tasks taking {@code shareUsed} of its offer (dominant resource). */
  void launched(OfferWindow rule, double shareUsed) {
    offerWindow = rule.afterLaunch(offerWindow, shareUsed);
  }

  /** It declined an offer, or held it until it expired. */
  void leftOfferUnused(OfferWindow rule) {
    offerWindow = rule.afterUnused(offerWindow);
  }

  String id() {
    return spec.frameworkId();
  }

  String role() {
    return spec.role();
  }

  boolean refuses(String agentId, Instant now) {
    Instant until = refusedUntil.get(agentId);
    if (until == null) {
      return false;
    }
    if (now.isBefore(until)) {
      return true;
    }
    refusedUntil.remove(agentId);
    return false;
  }

  void refuse(String agentId, Instant now, Instant until) {
    refusedUntil.put(agentId, until);
    // Filters on agents that are never offered again (removed, full) are not met by refuses(); purging
    // when the map has doubled keeps it bounded by live filters at amortized O(1) per decline.
    if (refusedUntil.size() > 2 * Math.max(16, sizeAfterLastPurge)) {
      for (Iterator<Instant> it = refusedUntil.values().iterator(); it.hasNext(); ) {
        if (it.next().isBefore(now)) {
          it.remove();
        }
      }
      sizeAfterLastPurge = refusedUntil.size();
    }
  }

  void clearFilters() {
    refusedUntil.clear();
    sizeAfterLastPurge = 0;
  }
}
