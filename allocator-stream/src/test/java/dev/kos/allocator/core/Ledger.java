package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test's own account of the cluster, kept only from the decisions the core returned, so that invariants
 * are checked against what the shell would have sent out rather than against the core's internal books.
 */
final class Ledger {

  final Map<String, AgentSpec> agents = new LinkedHashMap<>();
  final Map<String, Map<String, Resources>> dynamicReservations = new HashMap<>();
  final Map<String, Offer> offers = new LinkedHashMap<>();
  final Map<String, Launch> tasks = new LinkedHashMap<>();

  void record(Decisions decisions) {
    for (Offer offer : decisions.offers()) {
      if (offers.put(offer.offerId(), offer) != null) {
        throw new AssertionError("offer id reused: " + offer.offerId());
      }
    }
    for (Rescind rescind : decisions.rescinds()) {
      if (offers.remove(rescind.offerId()) == null) {
        throw new AssertionError("rescinded an offer that was not outstanding: " + rescind);
      }
    }
    for (Launch launch : decisions.launches()) {
      tasks.put(launch.taskId(), launch);
    }
    for (Launch lost : decisions.lostTasks()) {
      if (tasks.remove(lost.taskId()) == null) {
        throw new AssertionError("lost a task that was not running: " + lost);
      }
    }
  }

  Resources reservation(String agentId, String role) {
    Resources statically = agents.get(agentId).staticReservations().getOrDefault(role, Resources.NONE);
    return statically.plus(dynamicReservations.getOrDefault(agentId, Map.of()).getOrDefault(role, Resources.NONE));
  }

  void addDynamicReservation(String agentId, String role, Resources resources, boolean reserve) {
    Map<String, Resources> byRole = dynamicReservations.computeIfAbsent(agentId, id -> new HashMap<>());
    Resources current = byRole.getOrDefault(role, Resources.NONE);
    byRole.put(role, reserve ? current.plus(resources) : current.minus(resources));
  }

  /** Every offer and task on an agent, as (role, resources) pairs. */
  List<Held> heldOn(String agentId) {
    List<Held> held = new ArrayList<>();
    offers.values().stream().filter(offer -> offer.agentId().equals(agentId))
        .forEach(offer -> held.add(new Held(offer.role(), offer.resources())));
    tasks.values().stream().filter(task -> task.agentId().equals(agentId))
        .forEach(task -> held.add(new Held(task.role(), task.resources())));
    return held;
  }

  record Held(String role, Resources resources) {
  }
}
