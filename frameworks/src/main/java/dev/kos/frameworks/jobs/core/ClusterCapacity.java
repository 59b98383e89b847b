package dev.kos.frameworks.jobs.core;

import dev.kos.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the framework can see of the allocator's reasons without its state: the agents' reports and the
 * roles' thresholds. It applies the allocator's rule: a role gets no new offers while the cluster's
 * dominant utilization (the largest of cpus, mem and disk held by tasks over the cluster's total) is at or
 * above the lowest threshold of the roles with the same or a higher priority.
 *
 * @param reportMaxAge reports older than this are from agents that are gone and are not counted
 */
public record ClusterCapacity(Map<String, AgentLoad> agents, Map<String, RoleLimit> roles, Duration reportMaxAge) {

  public ClusterCapacity {
    agents = Map.copyOf(agents);
    roles = Map.copyOf(roles);
  }

  public static ClusterCapacity empty(Duration reportMaxAge) {
    return new ClusterCapacity(Map.of(), Map.of(), reportMaxAge);
  }

  public ClusterCapacity withAgent(AgentLoad agent) {
    return new ClusterCapacity(with(agents, agent.agentId(), agent), roles, reportMaxAge);
  }

  public ClusterCapacity withoutAgent(String agentId) {
    return new ClusterCapacity(without(agents, agentId), roles, reportMaxAge);
  }

  public ClusterCapacity withRole(RoleLimit role) {
    return new ClusterCapacity(agents, with(roles, role.role(), role), reportMaxAge);
  }

  public ClusterCapacity withoutRole(String role) {
    return new ClusterCapacity(agents, without(roles, role), reportMaxAge);
  }

  /** Dominant share of the live agents' capacity held by tasks; 0 for an empty cluster. */
  public double utilization(Instant now) {
    List<AgentLoad> live = agents.values().stream()
        .filter(a -> !a.reportedAt().plus(reportMaxAge).isBefore(now)).toList();
    Resources total = sum(live.stream().map(AgentLoad::total).toList());
    Resources used = sum(live.stream().map(AgentLoad::used).toList());
    return Math.max(share(used.cpus(), total.cpus()), Math.max(share(used.mem(), total.mem()),
        share(used.disk(), total.disk())));
  }

  /** Why {@code role} gets no offers now, if the allocator holds it back. */
  public Optional<HeldBack> heldBack(String role, Instant now) {
    int priority = roles.getOrDefault(role, RoleLimit.defaults(role)).priority();
    Optional<RoleLimit> strictest = roles.values().stream()
        .filter(r -> r.priority() >= priority && r.maxClusterUtilization().isPresent())
        .min((a, b) -> Double.compare(a.maxClusterUtilization().getAsDouble(), b.maxClusterUtilization().getAsDouble()));
    double utilization = utilization(now);
    return strictest.filter(r -> utilization >= r.maxClusterUtilization().getAsDouble())
        .map(r -> new HeldBack(role, utilization, r.maxClusterUtilization().getAsDouble(), r.role()));
  }

  /** The allocator holds {@code role} back: {@code utilization} is at or over {@code threshold} of {@code thresholdRole}. */
  public record HeldBack(String role, double utilization, double threshold, String thresholdRole) {

    public String message() {
      String whose = thresholdRole.equals(role) ? "" : " (of role " + thresholdRole + ", whose priority is not lower)";
      return "waiting: role " + role + " is held back while cluster utilization " + percent(utilization) + " ≥ "
          + percent(threshold) + " threshold" + whose;
    }

    private static String percent(double fraction) {
      return (long) Math.floor(fraction * 100 + 1e-9) + "%";
    }
  }

  private static Resources sum(Collection<Resources> all) {
    return all.stream().reduce(Resources.NONE, Resources::plus);
  }

  private static double share(double used, double total) {
    return total > 0 ? used / total : 0;
  }

  private static <V> Map<String, V> with(Map<String, V> map, String key, V value) {
    HashMap<String, V> copy = new HashMap<>(map);
    copy.put(key, value);
    return copy;
  }

  private static <V> Map<String, V> without(Map<String, V> map, String key) {
    HashMap<String, V> copy = new HashMap<>(map);
    copy.remove(key);
    return copy;
  }
}
