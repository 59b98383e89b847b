package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The allocator's books and the moves between them. Every move keeps three invariants: a resource is in
 * exactly one of a free pool, an offer or a task; sorters charge each role and framework with its offers
 * plus its tasks; {@link #agentsWithFree} holds exactly the agents with something worth offering.
 */
final class ClusterState {

  final AllocatorConfig config;
  /** How each framework's limit of outstanding offers moves (decision 0023). */
  final OfferWindow offerWindow;
  final Map<String, AgentState> agents = new HashMap<>();
  final Map<String, FrameworkState> frameworks = new LinkedHashMap<>();
  final Map<String, RoleState> roles = new LinkedHashMap<>();
  final Map<String, Offer> offers = new HashMap<>();
  /** Offers in creation order, which is expiry order because the timeout is fixed; used ones are skipped. */
  final ArrayDeque<Offer> offersByExpiry = new ArrayDeque<>();
  final Map<String, TaskRecord> tasks = new HashMap<>();
  /** Agents an operator drained; kept while such an agent is gone, so it comes back drained. */
  final Set<String> draining = new HashSet<>();
  /** Insertion-ordered so that rounds visit agents in a reproducible order. */
  final Set<AgentState> agentsWithFree = new LinkedHashSet<>();
  final DrfSorter roleSorter = new DrfSorter();
  /** Cluster-wide sums hold scalars only: ports are meaningful per agent, not summed across agents. */
  Resources clusterTotal = Resources.NONE;
  Resources clusterAllocated = Resources.NONE;
  /** What the other allocator shards hold, from their latest summaries; {@link UsageSummary#NONE} when alone. */
  UsageSummary peers = UsageSummary.NONE;
  /**
   * The part of each limited role's limit this shard may hold while shards share limits; null while this
   * shard is the only one and applies each limit whole.
   */
  Map<String, Resources> limitShares;
  /** Roles the last allocation round could have offered more to, but for their limit (or this shard's part). */
  final Set<String> rolesHeldAtLimit = new HashSet<>();
  private long offerCounter;

  ClusterState(AllocatorConfig config) {
    this.config = config;
    this.offerWindow = config.offerWindow();
  }

  RoleState role(String name) {
    RoleState role = roles.get(name);
    if (role == null) {
      role = new RoleState(RoleConfig.defaults(name));
      role.frameworks.total(globalTotal());
      roles.put(name, role);
      roleSorter.add(name, role.config.weight());
      roleSorter.external(name, peers.roleAllocation(name));
      recomputeThresholds();
    }
    return role;
  }

  void changeClusterTotal(Resources removed, Resources added) {
    clusterTotal = clusterTotal.minus(removed.scalars()).plus(added.scalars());
    Resources global = globalTotal();
    roleSorter.total(global);
    for (RoleState role : roles.values()) {
      role.frameworks.total(global);
    }
  }

  /** Replaces what the other shards hold; roles only they know get a book here so that their shares count. */
  void peersChanged(UsageSummary newPeers) {
    peers = newPeers;
    newPeers.roleAllocation().keySet().forEach(this::role);
    for (String role : roles.keySet()) {
      roleSorter.external(role, newPeers.roleAllocation(role));
    }
    changeClusterTotal(Resources.NONE, Resources.NONE);
  }

  /** Every shard's agents together. */
  Resources globalTotal() {
    return clusterTotal.plus(peers.total());
  }

  /**
   * Dominant utilization: the largest fraction of any scalar of the whole cluster (every shard) held by tasks
   * (offers excluded).
   */
  double utilization() {
    return clusterAllocated.plus(peers.allocated()).dominantShare(globalTotal());
  }

  /** The most a role may hold on this shard, offers included: its limit, or this shard's part of it. */
  Optional<Resources> limitHere(RoleState role) {
    if (role.config.limit().isEmpty() || limitShares == null) {
      return role.config.limit();
    }
    return Optional.of(limitShares.getOrDefault(role.name(), Resources.NONE));
  }

  void recomputeThresholds() {
    for (RoleState role : roles.values()) {
      role.effectiveThreshold = Double.POSITIVE_INFINITY;
      for (RoleState other : roles.values()) {
        if (other.config.priority() >= role.config.priority()) {
          role.effectiveThreshold = Math.min(role.effectiveThreshold,
              other.config.maxClusterUtilization().orElse(Double.POSITIVE_INFINITY));
        }
      }
    }
  }

  Offer makeOffer(AgentState agent, FrameworkState framework, Resources reserved, Resources unreserved,
          Instant now) {
    Offer offer = new Offer(config.offerIdPrefix() + (++offerCounter), framework.id(), framework.role(),
        agent.id, agent.spec.hostname(), reserved, unreserved, agent.spec.attributes(), now,
        now.plus(config.offerTimeout()));
    recordOffer(agent, framework, offer);
    return offer;
  }

  /** Holds an offer's resources out of the agent's free pools until it is answered, rescinded or expired. */
  void recordOffer(AgentState agent, FrameworkState framework, Offer offer) {
    agent.takeFree(offer.role(), offer.reserved(), offer.unreserved());
    offers.put(offer.offerId(), offer);
    offersByExpiry.addLast(offer);
    agent.offers.add(offer);
    framework.offerIds.add(offer.offerId());
    charge(offer.role(), offer.frameworkId(), offer.resources());
  }

  /** Takes an outstanding offer back: its resources return to the agent's free pools. */
  void recoverOffer(Offer offer) {
    offers.remove(offer.offerId());
    AgentState agent = agents.get(offer.agentId());
    agent.offers.remove(offer);
    frameworks.get(offer.frameworkId()).offerIds.remove(offer.offerId());
    agent.returnFree(offer.role(), offer.reserved(), offer.unreserved());
    uncharge(offer.role(), offer.frameworkId(), offer.resources());
    noteFree(agent);
  }

  void rescindAll(Collection<Offer> toRescind, String reason, Decisions.Builder decisions) {
    for (Offer offer : toRescind.toArray(Offer[]::new)) {
      recoverOffer(offer);
      decisions.rescinds.add(Rescind.of(offer, reason));
    }
  }

  /**
   * Allocates tasks on an agent, each from its role's reservation there first, then from the unreserved pool.
   * Charges the sorters once for the whole batch.
   */
  List<TaskRecord> launch(AgentState agent, FrameworkState framework, List<TaskRequest> requests) {
    String role = framework.role();
    List<TaskRecord> launched = new ArrayList<>(requests.size());
    Resources total = Resources.NONE;
    for (TaskRequest task : requests) {
      Resources reserved = task.resources().commonWith(agent.reservedFree(role));
      Resources unreserved = task.resources().minus(reserved);
      agent.allocate(role, reserved, unreserved);
      TaskRecord record = new TaskRecord(task.taskId(), framework.id(), role, agent.id, task.resources(),
          reserved, unreserved);
      agent.taskIds.add(record.taskId());
      tasks.put(record.taskId(), record);
      launched.add(record);
      total = total.plus(task.resources());
    }
    RoleState roleState = roles.get(role);
    roleState.allocated = roleState.allocated.plus(total.scalars());
    clusterAllocated = clusterAllocated.plus(total.scalars());
    charge(role, framework.id(), total);
    return launched;
  }

  void release(TaskRecord task) {
    tasks.remove(task.taskId());
    AgentState agent = agents.get(task.agentId());
    agent.taskIds.remove(task.taskId());
    agent.release(task.role(), task.reserved(), task.unreserved());
    forgetAllocation(task);
    noteFree(agent);
  }

  /** Drops a task's charges without returning resources to an agent, for tasks lost with their agent. */
  void forgetAllocation(TaskRecord task) {
    tasks.remove(task.taskId());
    RoleState role = roles.get(task.role());
    role.allocated = role.allocated.minus(task.resources().scalars());
    clusterAllocated = clusterAllocated.minus(task.resources().scalars());
    uncharge(task.role(), task.frameworkId(), task.resources());
  }

  void noteFree(AgentState agent) {
    if (agent.hasAllocatable(config)) {
      agentsWithFree.add(agent);
    } else {
      agentsWithFree.remove(agent);
    }
  }

  private void charge(String role, String frameworkId, Resources resources) {
    roleSorter.allocated(role, resources);
    roles.get(role).frameworks.allocated(frameworkId, resources);
  }

  private void uncharge(String role, String frameworkId, Resources resources) {
    roleSorter.unallocated(role, resources);
    roles.get(role).frameworks.unallocated(frameworkId, resources);
  }
}
