package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One allocation round: visits only agents with free resources and offers each to roles in DRF order, and
 * within a role to its frameworks in DRF order. The order itself lives in {@link DrfSorter}; this loop only
 * hands out. Two passes: roles below their quota guarantee first, then every role by weighted DRF.
 */
final class AllocationRound {

  private final ClusterState state;
  private final Instant now;
  private final List<Offer> made;
  private final Set<String> rolesOverThreshold = new HashSet<>();

  AllocationRound(ClusterState state, Instant now, List<Offer> made) {
    this.state = state;
    this.now = now;
    this.made = made;
  }

  void run() {
    state.rolesHeldAtLimit.clear();
    if (state.agentsWithFree.isEmpty() || noFrameworkWantsOffers()) {
      return;
    }
    double utilization = state.utilization();
    for (RoleState role : state.roles.values()) {
      if (utilization >= role.effectiveThreshold) {
        rolesOverThreshold.add(role.name());
      }
    }
    if (state.roles.keySet().stream().anyMatch(this::belowGuarantee)) {
      offerFreeAgents(this::belowGuarantee);
    }
    offerFreeAgents(role -> true);
  }

  private boolean noFrameworkWantsOffers() {
    for (FrameworkState framework : state.frameworks.values()) {
      if (mayBeOffered(framework)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Not suppressed, and below its limit of outstanding offers: a framework that has not answered the offers it holds
   * gets no more, so that the offers it is sent keep pace with its answers (decision 0021). Without the limit, one
   * framework's revive in a cluster of thousands of free agents is offered every one of them, and the thousands of
   * declines that follow queue up before the allocator, in front of the accepts of every other framework. The limit
   * is the framework's own window, which shrinks while it leaves its offers unused (decision 0023).
   */
  private boolean mayBeOffered(FrameworkState framework) {
    return !framework.spec.suppressed() && framework.belowOfferWindow();
  }

  /** Re-evaluated at every offer, so a role leaves the guarantee pass as soon as an offer fills its quota. */
  private boolean belowGuarantee(String roleName) {
    Resources guarantee = state.roles.get(roleName).config.guarantee().scalars();
    return !guarantee.isEmpty() && !state.roleSorter.globalAllocation(roleName).containsAll(guarantee);
  }

  private void offerFreeAgents(Predicate<String> roleEligible) {
    for (Iterator<AgentState> agents = state.agentsWithFree.iterator(); agents.hasNext(); ) {
      AgentState agent = agents.next();
      boolean offered = offerAgent(agent, roleEligible);
      if (!agent.hasAllocatable(state.config)) {
        agents.remove();
      } else if (!offered && noFrameworkWantsOffers()) {
        // Every framework is suppressed or at its limit: the other free agents would only be visited for nothing.
        return;
      }
    }
  }

  /**
   * Offers the agent until nothing allocatable is left or no role can take more; each offer re-sorts. Returns whether
   * it made an offer.
   */
  private boolean offerAgent(AgentState agent, Predicate<String> roleEligible) {
    boolean any = false;
    boolean offered = true;
    while (offered && agent.hasAllocatable(state.config)) {
      offered = false;
      for (String roleName : state.roleSorter.inOrder()) {
        if (roleEligible.test(roleName) && !rolesOverThreshold.contains(roleName)
            && tryOffer(agent, state.roles.get(roleName))) {
          offered = true;
          any = true;
          break;
        }
      }
    }
    return any;
  }

  private boolean tryOffer(AgentState agent, RoleState role) {
    if (role.frameworks.isEmpty()) {
      return false;
    }
    Resources reserved = agent.reservedFree(role.name());
    Resources unreserved = agent.unreservedFree;
    Resources free = reserved.plus(unreserved).scalars();
    Optional<Resources> limit = state.limitHere(role);
    if (limit.isPresent()) {
      Resources headroom = limit.get().minus(state.roleSorter.allocation(role.name()));
      reserved = reserved.scalarsCappedBy(headroom);
      unreserved = unreserved.scalarsCappedBy(headroom.minus(reserved));
    }
    if (!reserved.plus(unreserved).scalars().equals(free) && anyUnsuppressed(role)) {
      state.rolesHeldAtLimit.add(role.name());
    }
    if (!state.config.isAllocatable(reserved.plus(unreserved))) {
      return false;
    }
    FrameworkState framework = firstWilling(role, agent);
    if (framework == null) {
      return false;
    }
    made.add(state.makeOffer(agent, framework, reserved, unreserved, now));
    return true;
  }

  /** Whether the role has a framework asking for offers at all, so that its limit holds back demand. */
  private boolean anyUnsuppressed(RoleState role) {
    for (String frameworkId : role.frameworks.inOrder()) {
      if (!state.frameworks.get(frameworkId).spec.suppressed()) {
        return true;
      }
    }
    return false;
  }

  private FrameworkState firstWilling(RoleState role, AgentState agent) {
    for (String frameworkId : role.frameworks.inOrder()) {
      FrameworkState framework = state.frameworks.get(frameworkId);
      if (mayBeOffered(framework) && !agent.hasOfferTo(frameworkId) && !framework.refuses(agent.id, now)) {
        return framework;
      }
    }
    return null;
  }
}
