package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The allocator's book of one agent. Free resources are kept in pools: one unreserved pool and one per role
 * holding a reservation here. A resource is in exactly one of: a free pool, an outstanding offer, a task.
 */
final class AgentState {

  final String id;
  AgentSpec spec;
  final Map<String, Resources> dynamicReservations = new HashMap<>(2);
  final Map<String, Resources> reservedFree = new HashMap<>(2);
  final Map<String, Resources> reservedAllocated = new HashMap<>(2);
  Resources unreservedFree = Resources.NONE;
  Resources unreservedAllocated = Resources.NONE;
  /** Outstanding offers on this agent, at most one per framework; a list because there are rarely more than two. */
  final List<Offer> offers = new ArrayList<>(1);
  final Set<String> taskIds = new LinkedHashSet<>();
  /** Drained by an operator's command, apart from what the agent itself reports. */
  boolean drainRequested;

  AgentState(AgentSpec spec) {
    this.id = spec.agentId();
    this.spec = spec;
  }

  boolean hasOfferTo(String frameworkId) {
    for (Offer offer : offers) {
      if (offer.frameworkId().equals(frameworkId)) {
        return true;
      }
    }
    return false;
  }

  Resources reservation(String role) {
    Resources statically = spec.staticReservations().getOrDefault(role, Resources.NONE);
    return statically.plus(dynamicReservations.getOrDefault(role, Resources.NONE));
  }

  Resources reservedFree(String role) {
    return reservedFree.getOrDefault(role, Resources.NONE);
  }

  /** Rebuilds the free pools from the totals and the allocations; only valid while no offer is outstanding. */
  void recomputeFree() {
    Set<String> roles = new LinkedHashSet<>(spec.staticReservations().keySet());
    roles.addAll(dynamicReservations.keySet());
    Resources reservedTotal = Resources.NONE;
    reservedFree.clear();
    for (String role : roles) {
      Resources reserved = reservation(role);
      reservedTotal = reservedTotal.plus(reserved);
      putPool(reservedFree, role, reserved.minus(reservedAllocated.getOrDefault(role, Resources.NONE)));
    }
    unreservedFree = spec.total().minus(reservedTotal).minus(unreservedAllocated);
  }

  boolean hasAllocatable(AllocatorConfig config) {
    if (spec.draining() || drainRequested) {
      return false;
    }
    if (config.isAllocatable(unreservedFree)) {
      return true;
    }
    for (Resources pool : reservedFree.values()) {
      if (config.isAllocatable(pool)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the free pools hold these resources, as an offer of them would take them. */
  boolean canTake(String role, Resources reserved, Resources unreserved) {
    return reservedFree(role).containsAll(reserved) && unreservedFree.containsAll(unreserved);
  }

  void takeFree(String role, Resources reserved, Resources unreserved) {
    if (!reserved.isEmpty()) {
      putPool(reservedFree, role, reservedFree(role).minus(reserved));
    }
    unreservedFree = unreservedFree.minus(unreserved);
  }

  void returnFree(String role, Resources reserved, Resources unreserved) {
    if (!reserved.isEmpty()) {
      putPool(reservedFree, role, reservedFree(role).plus(reserved));
    }
    unreservedFree = unreservedFree.plus(unreserved);
  }

  void allocate(String role, Resources reserved, Resources unreserved) {
    takeFree(role, reserved, unreserved);
    if (!reserved.isEmpty()) {
      putPool(reservedAllocated, role, reservedAllocated.getOrDefault(role, Resources.NONE).plus(reserved));
    }
    unreservedAllocated = unreservedAllocated.plus(unreserved);
  }

  void release(String role, Resources reserved, Resources unreserved) {
    if (!reserved.isEmpty()) {
      putPool(reservedAllocated, role, reservedAllocated.getOrDefault(role, Resources.NONE).minus(reserved));
    }
    unreservedAllocated = unreservedAllocated.minus(unreserved);
    returnFree(role, reserved, unreserved);
  }

  /** Keeps pool maps small: an empty pool is no entry. */
  private static void putPool(Map<String, Resources> pools, String role, Resources pool) {
    if (pool.isEmpty()) {
      pools.remove(role);
    } else {
      pools.put(role, pool);
    }
  }
}
