package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The allocator's pure core: a deterministic state machine fed one event at a time, answering each with the
 * {@link Decisions} the shell must carry out. No I/O, no clock (every time-dependent event takes {@code now}),
 * no randomness: replaying the same events yields the same offers, ids included.
 *
 * <p>Each event costs in proportion to what it changes (one agent, one framework, the named offers, the
 * agents with free resources in a round), never in proportion to the size of the cluster.
 *
 * <p>Not thread-safe: the shell owns one instance per stream task.
 */
public final class Allocator {

  private final ClusterState state;

  public Allocator(AllocatorConfig config) {
    this.state = new ClusterState(Objects.requireNonNull(config, "config"));
  }

  /** Adds an agent or updates it; a changed report rescinds the agent's offers so they are remade from it. */
  public Decisions agentReported(AgentSpec spec) {
    Decisions.Builder decisions = new Decisions.Builder();
    AgentState agent = state.agents.get(spec.agentId());
    if (agent == null) {
      agent = new AgentState(spec);
      agent.drainRequested = state.draining.contains(agent.id);
      state.agents.put(agent.id, agent);
      state.changeClusterTotal(Resources.NONE, spec.total());
    } else if (agent.spec.equals(spec)) {
      return Decisions.NONE;
    } else {
      state.rescindAll(agent.offers, "agent " + agent.id + " reported a change", decisions);
      state.changeClusterTotal(agent.spec.total(), spec.total());
      agent.spec = spec;
    }
    agent.recomputeFree();
    state.noteFree(agent);
    return decisions.build();
  }

  /**
   * Removes an agent that left or was lost: its offers are rescinded and its tasks reported lost, and its
   * resources leave the pool. A returning agent is simply reported again.
   */
  public Decisions agentRemoved(String agentId, String why) {
    AgentState agent = state.agents.get(agentId);
    if (agent == null) {
      return Decisions.NONE;
    }
    Decisions.Builder decisions = new Decisions.Builder();
    state.rescindAll(agent.offers, "agent " + agentId + " is gone: " + why, decisions);
    for (String taskId : agent.taskIds) {
      TaskRecord task = state.tasks.get(taskId);
      state.forgetAllocation(task);
      decisions.lostTasks.add(task.asLaunch());
    }
    state.agentsWithFree.remove(agent);
    state.agents.remove(agentId);
    state.changeClusterTotal(agent.spec.total(), Resources.NONE);
    return decisions.build();
  }

  /** Registers a framework or updates it; moving to another role rescinds its offers. */
  public Decisions frameworkUpdated(FrameworkSpec spec) {
    Decisions.Builder decisions = new Decisions.Builder();
    FrameworkState framework = state.frameworks.get(spec.frameworkId());
    if (framework == null) {
      framework = new FrameworkState(spec, state.offerWindow);
      state.frameworks.put(spec.frameworkId(), framework);
    } else if (!framework.role().equals(spec.role())) {
      rescindOffersOf(framework, "framework " + spec.frameworkId() + " moved to role " + spec.role(),
          decisions);
      state.roles.get(framework.role()).frameworks.remove(spec.frameworkId());
    }
    framework.spec = spec;
    RoleState role = state.role(spec.role());
    role.frameworks.add(spec.frameworkId(), spec.weight());
    role.frameworks.weight(spec.frameworkId(), spec.weight());
    return decisions.build();
  }

  /** Unregisters a framework: its offers are rescinded; its running tasks stay allocated until they end. */
  public Decisions frameworkRemoved(String frameworkId) {
    FrameworkState framework = state.frameworks.get(frameworkId);
    if (framework == null) {
      return Decisions.NONE;
    }
    Decisions.Builder decisions = new Decisions.Builder();
    rescindOffersOf(framework, "framework " + frameworkId + " unregistered", decisions);
    state.roles.get(framework.role()).frameworks.remove(frameworkId);
    state.frameworks.remove(frameworkId);
    return decisions.build();
  }

  /** Sets a role's weight, priority, quota and threshold. Offers already made stand until used or expired. */
  public Decisions roleConfigured(RoleConfig config) {
    RoleState role = state.role(config.role());
    role.config = config;
    state.roleSorter.weight(config.role(), config.weight());
    state.recomputeThresholds();
    return Decisions.NONE;
  }

  /** Stops offers to the framework until it revives; offers it holds stand. */
  public Decisions suppress(String frameworkId) {
    FrameworkState framework = state.frameworks.get(frameworkId);
    if (framework != null) {
      framework.spec = framework.spec.withSuppressed(true);
    }
    return Decisions.NONE;
  }

  /** Resumes offers to the framework and forgets its decline filters, as Mesos's revive does. */
  public Decisions revive(String frameworkId) {
    FrameworkState framework = state.frameworks.get(frameworkId);
    if (framework != null) {
      framework.spec = framework.spec.withSuppressed(false);
      framework.clearFilters();
    }
    return Decisions.NONE;
  }

  /**
   * Uses outstanding offers of one agent to launch tasks. Either every task is approved or none is, with a
   * {@link Rejection}; either way the named offers of this framework are used up, and what the tasks do not
   * take returns to the pool.
   */
  public Decisions accept(String frameworkId, List<String> offerIds, List<TaskRequest> tasks) {
    List<String> taskIds = tasks.stream().map(TaskRequest::taskId).toList();
    FrameworkState framework = state.frameworks.get(frameworkId);
    if (framework == null) {
      return rejected(new Rejection.UnknownFramework(frameworkId, taskIds));
    }
    List<Offer> offers = new ArrayList<>();
    Optional<Rejection> invalid = Optional.empty();
    for (String offerId : new LinkedHashSet<>(offerIds)) {
      Offer offer = state.offers.get(offerId);
      if (offer == null) {
        invalid = invalid.or(() -> Optional.of(new Rejection.UnknownOffer(frameworkId, offerId, taskIds)));
      } else if (!offer.frameworkId().equals(frameworkId)) {
        invalid = invalid.or(() -> Optional.of(
            new Rejection.OfferOfAnotherFramework(frameworkId, offerId, taskIds)));
      } else {
        offers.add(offer);
      }
    }
    invalid = invalid.or(() -> validate(framework, offers, tasks, taskIds));
    offers.forEach(state::recoverOffer);
    if (invalid.isPresent()) {
      return rejected(invalid.get());
    }
    Decisions.Builder decisions = new Decisions.Builder();
    if (!offers.isEmpty()) {
      AgentState agent = state.agents.get(offers.get(0).agentId());
      for (TaskRecord task : state.launch(agent, framework, tasks)) {
        decisions.launches.add(task.asLaunch());
      }
      state.noteFree(agent);
      if (!decisions.launches.isEmpty()) {
        framework.launched(state.offerWindow, shareUsed(offers, tasks));
      }
    }
    return decisions.build();
  }

  /** Declines offers with the default refusal time. */
  public Decisions decline(String frameworkId, List<String> offerIds, Instant now) {
    return decline(frameworkId, offerIds, state.config.defaultRefuse(), now);
  }

  /**
   * Declines offers: their resources return to the pool, and their agents are not offered to this framework
   * again until {@code now + refuse}. Each declined offer halves how many the framework may hold (decision 0023).
   * Unknown offers are ignored: they were already rescinded or used.
   */
  public Decisions decline(String frameworkId, List<String> offerIds, Duration refuse, Instant now) {
    for (String offerId : offerIds) {
      Offer offer = state.offers.get(offerId);
      if (offer != null && offer.frameworkId().equals(frameworkId)) {
        state.recoverOffer(offer);
        FrameworkState framework = state.frameworks.get(frameworkId);
        framework.leftOfferUnused(state.offerWindow);
        if (refuse.compareTo(Duration.ZERO) > 0) {
          framework.refuse(offer.agentId(), now, now.plus(refuse));
        }
      }
    }
    return Decisions.NONE;
  }

  /**
   * Re-records a task that was running before the shell restarted, as its state stores remember it.
   * Registers the task's framework under the task's role if it is not known any more, because its
   * running tasks hold resources until they end. Unknown agents and known task ids are ignored.
   */
  public Decisions restore(Launch task) {
    AgentState agent = state.agents.get(task.agentId());
    if (agent == null || state.tasks.containsKey(task.taskId())) {
      return Decisions.NONE;
    }
    if (!state.frameworks.containsKey(task.frameworkId())) {
      frameworkUpdated(FrameworkSpec.of(task.frameworkId(), task.role()));
    }
    state.launch(agent, state.frameworks.get(task.frameworkId()),
        List.of(new TaskRequest(task.taskId(), task.resources())));
    state.noteFree(agent);
    return Decisions.NONE;
  }

  /**
   * Holds again the resources of a task found running after it was declared lost or given up, while the shell
   * kills it (decision 0011). The agent's offers are rescinded so they cannot hand out what the task uses. If
   * other tasks took its resources meanwhile, nothing is held: the books cannot go below zero, and the kill alone
   * ends the overlap. Unknown agents and task ids already running are ignored.
   */
  public Decisions hold(Launch task) {
    AgentState agent = state.agents.get(task.agentId());
    if (agent == null || state.tasks.containsKey(task.taskId())) {
      return Decisions.NONE;
    }
    Decisions.Builder decisions = new Decisions.Builder();
    state.rescindAll(agent.offers, "agent " + agent.id + " runs task " + task.taskId()
        + ", which was declared lost, until it is killed", decisions);
    String role = state.frameworks.containsKey(task.frameworkId())
        ? state.frameworks.get(task.frameworkId()).role() : task.role();
    Resources reserved = task.resources().commonWith(agent.reservedFree(role));
    if (agent.canTake(role, reserved, task.resources().minus(reserved))) {
      restore(task);
    }
    return decisions.build();
  }

  /**
   * Whether a report of this agent would change what the core knows: the agent is new (or back), or its spec
   * changed. A heartbeat changes nothing, so the shell need not store it.
   */
  public boolean changes(AgentSpec spec) {
    AgentState agent = state.agents.get(spec.agentId());
    return agent == null || !agent.spec.equals(spec);
  }

  /** Whether the agent has reported and was not removed since. */
  public boolean knowsAgent(String agentId) {
    return state.agents.containsKey(agentId);
  }

  /**
   * Re-records an offer that was outstanding before the shell restarted, so that an accept of it
   * still succeeds. Restore offers oldest first and before the first round. An offer whose agent or
   * framework is gone, whose role changed, or whose resources are no longer free is rescinded.
   */
  public Decisions restoreOffer(Offer offer) {
    AgentState agent = state.agents.get(offer.agentId());
    FrameworkState framework = state.frameworks.get(offer.frameworkId());
    String problem = agent == null ? "its agent is gone"
        : framework == null ? "its framework is gone"
        : !framework.role().equals(offer.role()) ? "its framework changed role"
        : state.offers.containsKey(offer.offerId()) ? "it is outstanding already"
        : !agent.canTake(offer.role(), offer.reserved(), offer.unreserved()) ? "its resources are no longer free"
        : null;
    if (problem != null) {
      return new Decisions(List.of(), List.of(Rescind.of(offer, "offer could not be restored: " + problem)),
          List.of(), List.of(), List.of());
    }
    state.recordOffer(agent, framework, offer);
    state.noteFree(agent);
    return Decisions.NONE;
  }

  /** Frees the resources of a task that reached a terminal state; repeated or unknown ids are no-ops. */
  public Decisions taskEnded(String taskId) {
    TaskRecord task = state.tasks.get(taskId);
    if (task != null) {
      state.release(task);
    }
    return Decisions.NONE;
  }

  /**
   * Stops offering an agent, as an operator's drain asks: its outstanding offers are rescinded, its tasks
   * keep running until their frameworks move them. The drain outlives the agent leaving and returning.
   */
  public Decisions drain(String agentId) {
    AgentState agent = state.agents.get(agentId);
    if (agent == null) {
      return rejected(new Rejection.UnknownAgent(agentId, "drain"));
    }
    state.draining.add(agentId);
    agent.drainRequested = true;
    Decisions.Builder decisions = new Decisions.Builder();
    state.rescindAll(agent.offers, "agent " + agentId + " is draining", decisions);
    state.noteFree(agent);
    return decisions.build();
  }

  /** Offers a drained agent again. Undraining an agent that is not drained changes nothing. */
  public Decisions undrain(String agentId) {
    AgentState agent = state.agents.get(agentId);
    if (!state.draining.remove(agentId) && agent == null) {
      return rejected(new Rejection.UnknownAgent(agentId, "undrain"));
    }
    if (agent != null) {
      agent.drainRequested = false;
      state.noteFree(agent);
    }
    return Decisions.NONE;
  }

  /** Re-records a drain from before the shell restarted; the agent need not be known (yet). */
  public Decisions restoreDrain(String agentId) {
    state.draining.add(agentId);
    AgentState agent = state.agents.get(agentId);
    if (agent != null) {
      agent.drainRequested = true;
      state.noteFree(agent);
    }
    return Decisions.NONE;
  }

  public boolean isDraining(String agentId) {
    return state.draining.contains(agentId);
  }

  /** Draining, known, and no task left on it: it can be stopped with nothing lost. */
  public boolean isDrained(String agentId) {
    AgentState agent = state.agents.get(agentId);
    return agent != null && state.draining.contains(agentId) && agent.taskIds.isEmpty();
  }

  /** The tasks of a framework that hold resources here. O(tasks): for the rare failover of a framework. */
  public List<Launch> tasksOf(String frameworkId) {
    return state.tasks.values().stream().filter(task -> task.frameworkId().equals(frameworkId))
        .map(TaskRecord::asLaunch).toList();
  }

  /** Whether a task with this id holds resources (it was launched and has not ended). */
  public boolean isRunning(String taskId) {
    return state.tasks.containsKey(taskId);
  }

  /** How many tasks run on an agent (0 for an unknown agent). */
  public int tasksOn(String agentId) {
    AgentState agent = state.agents.get(agentId);
    return agent == null ? 0 : agent.taskIds.size();
  }

  /**
   * Each agent's capacity and what its running tasks hold, for the cluster advisor. O(agents + tasks):
   * the shell asks once per scaling interval, not per event.
   */
  public List<AgentLoad> agentLoads() {
    List<AgentLoad> loads = new ArrayList<>(state.agents.size());
    for (AgentState agent : state.agents.values()) {
      Resources allocated = Resources.NONE;
      Resources largest = Resources.NONE;
      for (String taskId : agent.taskIds) {
        Resources task = state.tasks.get(taskId).resources().scalars();
        allocated = allocated.plus(task);
        largest = task.cpus() > largest.cpus() || (task.cpus() == largest.cpus() && task.mem() > largest.mem())
            ? task : largest;
      }
      loads.add(new AgentLoad(agent.id, agent.spec.total().scalars(), allocated, agent.taskIds.size(), largest,
          agent.spec.draining() || agent.drainRequested));
    }
    return loads;
  }

  /** Reserves free unreserved resources of an agent for a role, rescinding the agent's offers to make room. */
  public Decisions reserve(String agentId, String role, Resources resources) {
    return changeReservation(agentId, role, resources, true);
  }

  /** Returns free dynamically reserved resources of a role to the agent's unreserved pool. */
  public Decisions unreserve(String agentId, String role, Resources resources) {
    return changeReservation(agentId, role, resources, false);
  }

  /** Runs one allocation round and returns the offers made. */
  public Decisions allocate(Instant now) {
    List<Offer> made = new ArrayList<>();
    new AllocationRound(state, now, made).run();
    return new Decisions(made, List.of(), List.of(), List.of(), List.of());
  }

  /** Rescinds every offer whose time ran out by {@code now}. Expects {@code now} not to go backwards. */
  public Decisions expireOffers(Instant now) {
    Decisions.Builder decisions = new Decisions.Builder();
    while (!state.offersByExpiry.isEmpty() && !state.offersByExpiry.peekFirst().expiresAt().isAfter(now)) {
      Offer offer = state.offersByExpiry.pollFirst();
      if (state.offers.get(offer.offerId()) == offer) {
        state.recoverOffer(offer);
        // Held for its whole life and never used: as a decline, it says the framework needs fewer offers.
        state.frameworks.get(offer.frameworkId()).leftOfferUnused(state.offerWindow);
        decisions.rescinds.add(Rescind.of(offer, "offer expired after " + state.config.offerTimeout()));
      }
    }
    return decisions.build();
  }

  /**
   * What the other allocator shards hold, from their latest summaries: from now on roles are ordered, served
   * their guarantees and held back by utilization thresholds over the whole cluster. Offers made stand.
   */
  public Decisions peersReported(UsageSummary peers) {
    state.peersChanged(peers);
    return Decisions.NONE;
  }

  /**
   * Limits the roles with a quota limit to this shard's part of it (see {@link LimitClaims}); a limited role
   * missing from {@code shares} gets nothing here. Offers made stand until used or expired.
   */
  public Decisions limitsShared(Map<String, Resources> shares) {
    state.limitShares = Map.copyOf(shares);
    return Decisions.NONE;
  }

  /** What this shard's agents hold, and which roles the last round held back at their limit, for the other shards. */
  public UsageSummary usage() {
    Map<String, Resources> roles = new HashMap<>();
    for (String role : state.roles.keySet()) {
      Resources held = state.roleSorter.allocation(role);
      if (!held.isEmpty()) {
        roles.put(role, held);
      }
    }
    return new UsageSummary(state.clusterTotal, state.clusterAllocated, roles, state.rolesHeldAtLimit);
  }

  /** Each role with a quota limit, and the limit. */
  public Map<String, Resources> limits() {
    Map<String, Resources> limits = new HashMap<>();
    state.roles.forEach((name, role) -> role.config.limit().ifPresent(limit -> limits.put(name, limit)));
    return limits;
  }

  /** The offers currently outstanding, in no particular order. O(offers): for inspection and tests. */
  public List<Offer> outstandingOffers() {
    return List.copyOf(state.offers.values());
  }

  /** What a role's running tasks hold (offers excluded). */
  public Resources allocatedTo(String role) {
    RoleState roleState = state.roles.get(role);
    return roleState == null ? Resources.NONE : roleState.allocated;
  }

  /** The sum of every agent's total. */
  public Resources clusterTotal() {
    return state.clusterTotal;
  }

  /** The largest fraction of any scalar of the whole cluster (every shard) held by running tasks. */
  public double clusterUtilization() {
    return state.utilization();
  }

  /**
   * Each known role's dominant share of the whole cluster (every shard): the largest fraction of any scalar of the
   * cluster's total that its running tasks and outstanding offers hold. DRF offers first to the role whose share
   * over its weight is lowest. For metrics.
   */
  public Map<String, Double> roleShares() {
    Resources total = state.globalTotal();
    Map<String, Double> shares = new TreeMap<>();
    for (String role : state.roles.keySet()) {
      shares.put(role, state.roleSorter.globalAllocation(role).dominantShare(total));
    }
    return shares;
  }

  /**
   * The fraction of each scalar of the whole cluster (every shard) that running tasks hold (offers excluded): keys
   * {@code cpus}, {@code mem} and {@code disk}; 0 for a scalar the cluster has none of. For metrics.
   */
  public Map<String, Double> utilizationByResource() {
    Resources total = state.globalTotal();
    Resources held = state.clusterAllocated.plus(state.peers.allocated());
    Map<String, Double> fractions = new TreeMap<>();
    fractions.put("cpus", fraction(held.cpus(), total.cpus()));
    fractions.put("mem", fraction(held.mem(), total.mem()));
    fractions.put("disk", fraction(held.disk(), total.disk()));
    return fractions;
  }

  private static double fraction(double part, double whole) {
    return whole <= 0 ? 0 : part / whole;
  }

  /** How much of what the offers held the tasks take, in the dominant resource: 1 when they take all of it. */
  private static double shareUsed(List<Offer> offers, List<TaskRequest> tasks) {
    Resources offered = Resources.NONE;
    for (Offer offer : offers) {
      offered = offered.plus(offer.resources());
    }
    Resources requested = Resources.NONE;
    for (TaskRequest task : tasks) {
      requested = requested.plus(task.resources());
    }
    return requested.scalars().dominantShare(offered.scalars());
  }

  private Optional<Rejection> validate(FrameworkState framework, List<Offer> offers, List<TaskRequest> tasks,
                     List<String> taskIds) {
    if (offers.isEmpty() && !tasks.isEmpty()) {
      return Optional.of(new Rejection.NoOfferNamed(framework.id(), taskIds));
    }
    Resources offered = Resources.NONE;
    boolean oneAgent = true;
    for (Offer offer : offers) {
      oneAgent &= offer.agentId().equals(offers.get(0).agentId());
      offered = offered.plus(offer.resources());
    }
    if (!oneAgent) {
      return Optional.of(new Rejection.OffersOnSeveralAgents(framework.id(),
          offers.stream().map(Offer::offerId).toList(), taskIds));
    }
    Set<String> seen = new HashSet<>(2 * tasks.size());
    Resources requested = Resources.NONE;
    for (TaskRequest task : tasks) {
      if (!seen.add(task.taskId()) || state.tasks.containsKey(task.taskId())) {
        return Optional.of(new Rejection.DuplicateTask(framework.id(), task.taskId(), taskIds));
      }
      requested = requested.plus(task.resources());
    }
    if (!offered.containsAll(requested)) {
      return Optional.of(new Rejection.ExceedsOffer(framework.id(), requested, offered, taskIds));
    }
    return Optional.empty();
  }

  private Decisions changeReservation(String agentId, String role, Resources resources, boolean reserve) {
    AgentState agent = state.agents.get(agentId);
    if (agent == null) {
      return rejected(new Rejection.ReservationRefused(agentId, role, resources, Resources.NONE,
          "the agent is unknown"));
    }
    Decisions.Builder decisions = new Decisions.Builder();
    state.rescindAll(agent.offers, "the reservations of agent " + agentId + " changed", decisions);
    Resources available = reserve
        ? agent.unreservedFree
        : agent.reservedFree(role).commonWith(agent.dynamicReservations.getOrDefault(role, Resources.NONE));
    if (!available.containsAll(resources)) {
      decisions.rejections.add(new Rejection.ReservationRefused(agentId, role, resources, available, reserve
          ? "only free unreserved resources can be reserved"
          : "only free, dynamically reserved resources of the role can be unreserved"));
      return decisions.build();
    }
    Resources dynamic = agent.dynamicReservations.getOrDefault(role, Resources.NONE);
    dynamic = reserve ? dynamic.plus(resources) : dynamic.minus(resources);
    if (dynamic.isEmpty()) {
      agent.dynamicReservations.remove(role);
    } else {
      agent.dynamicReservations.put(role, dynamic);
    }
    agent.recomputeFree();
    state.noteFree(agent);
    return decisions.build();
  }

  private void rescindOffersOf(FrameworkState framework, String reason, Decisions.Builder decisions) {
    List<Offer> offers = new ArrayList<>();
    for (String offerId : framework.offerIds) {
      offers.add(state.offers.get(offerId));
    }
    state.rescindAll(offers, reason, decisions);
  }

  private static Decisions rejected(Rejection rejection) {
    return new Decisions(List.of(), List.of(), List.of(), List.of(), List.of(rejection));
  }
}
