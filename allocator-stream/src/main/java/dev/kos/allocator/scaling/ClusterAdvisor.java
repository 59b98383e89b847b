package dev.kos.allocator.scaling;

import dev.kos.allocator.core.AgentLoad;
import dev.kos.model.Resources;
import dev.kos.model.ScaleMode;
import dev.kos.model.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Advises operators on the cluster's size; its decisions are always ADVISORY. Utilization is dominant
 * (the largest of cpus, mem, disk): what running tasks hold on every agent over the capacity of the agents
 * not draining, since draining agents are on their way out.
 *
 * <ul>
 *   <li>up: utilization at or above {@code clusterHigh} for {@code highWindow}, or instances waiting unplaced
 *       for {@code pendingWindow}: the fewest agents of the most common size that bring running plus pending
 *       work below {@code clusterHigh} (at least one);</li>
 *   <li>down: utilization below {@code clusterLow} for {@code lowWindow}: the agents that could be drained,
 *       least allocated first, while the others' free capacity takes their tasks (in total, and the largest
 *       task on one agent) and utilization stays below the midpoint of the watermarks.</li>
 * </ul>
 *
 * After an advisory the same condition must hold for another full window before the next one.
 */
final class ClusterAdvisor {

  static final String TARGET = "cluster";

  private final ScalingSettings settings;
  private Instant highSince;
  private Instant pendingSince;
  private Instant lowSince;

  ClusterAdvisor(ScalingSettings settings) {
    this.settings = settings;
  }

  Optional<Decision> evaluate(Collection<AgentLoad> agents, Collection<ScalableApp> apps, Instant now) {
    List<AgentLoad> usable = agents.stream().filter(a -> !a.draining()).toList();
    Resources capacity = sum(usable, AgentLoad::total);
    Resources allocated = sum(agents, AgentLoad::allocated);
    Resources pending = Resources.NONE;
    int unplaced = 0;
    for (ScalableApp app : apps) {
      pending = pending.plus(times(app.perInstance(), app.unplacedInstances()));
      unplaced += app.unplacedInstances();
    }
    if (usable.isEmpty()) {
      highSince = pendingSince = lowSince = null;
      return Optional.empty();
    }
    double utilization = allocated.dominantShare(capacity);
    highSince = utilization >= settings.clusterHigh() ? since(highSince, now) : null;
    pendingSince = unplaced > 0 ? since(pendingSince, now) : null;
    lowSince = utilization < settings.clusterLow() && unplaced == 0 ? since(lowSince, now) : null;
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("utilization", utilization);
    metrics.put("agents", (double) usable.size());
    metrics.put("allocatedCpus", allocated.cpus());
    metrics.put("allocatedMem", allocated.mem());
    metrics.put("capacityCpus", capacity.cpus());
    metrics.put("capacityMem", capacity.mem());
    metrics.put("unplacedInstances", (double) unplaced);
    boolean high = held(highSince, settings.highWindow(), now);
    if (high || held(pendingSince, settings.pendingWindow(), now)) {
      highSince = highSince == null ? null : now;
      pendingSince = pendingSince == null ? null : now;
      return Optional.of(scaleUp(usable, capacity, allocated, pending, unplaced, utilization, high, metrics, now));
    }
    if (held(lowSince, settings.lowWindow(), now)) {
      lowSince = now;
      return scaleDown(usable, capacity, allocated, utilization, metrics, now);
    }
    return Optional.empty();
  }

  private Decision scaleUp(List<AgentLoad> usable, Resources capacity, Resources allocated, Resources pending,
      int unplaced, double utilization, boolean high, Map<String, Double> metrics, Instant now) {
    Resources size = mostCommonSize(usable);
    Resources wanted = allocated.plus(pending);
    int add = 1;
    while (add < 10_000 && wanted.dominantShare(capacity.plus(times(size, add))) >= settings.clusterHigh()) {
      add++;
    }
    metrics.put("pendingCpus", pending.cpus());
    metrics.put("pendingMem", pending.mem());
    String why = high
        ? "utilization " + percent(utilization) + " has been at or above " + percent(settings.clusterHigh())
            + " for " + settings.highWindow().toSeconds() + "s"
        : unplaced + " instances have waited unplaced for " + settings.pendingWindow().toSeconds() + "s";
    return new Decision(TARGET, Decision.Kind.CLUSTER, usable.size(), usable.size() + add,
        why + ": add " + add + " agent" + (add == 1 ? "" : "s") + " of " + describe(size)
            + " (the most common size) to place the running and pending work below "
            + percent(settings.clusterHigh()),
        policy(), ScaleMode.ADVISORY, metrics, now);
  }

  private Optional<Decision> scaleDown(List<AgentLoad> usable, Resources capacity, Resources allocated,
      double utilization, Map<String, Double> metrics, Instant now) {
    double ceiling = (settings.clusterLow() + settings.clusterHigh()) / 2;
    List<AgentLoad> byLoad = new ArrayList<>(usable);
    byLoad.sort(Comparator.comparingDouble((AgentLoad a) -> a.allocated().dominantShare(a.total()))
        .thenComparing(AgentLoad::agentId));
    Map<String, Resources> free = new HashMap<>();
    for (AgentLoad agent : usable) {
      free.put(agent.agentId(), agent.total().minus(agent.allocated()));
    }
    List<String> drainable = new ArrayList<>();
    Resources remaining = capacity;
    Resources freeElsewhere = sum(usable, a -> free.get(a.agentId()));
    for (AgentLoad candidate : byLoad) {
      if (drainable.size() + 1 >= usable.size()) {
        break;
      }
      Resources without = remaining.minus(candidate.total());
      Resources othersFree = freeElsewhere.minus(free.get(candidate.agentId()));
      boolean largestFits = usable.stream().anyMatch(a -> !a.agentId().equals(candidate.agentId())
          && !drainable.contains(a.agentId()) && free.get(a.agentId()).containsAll(candidate.largestTask()));
      if (allocated.dominantShare(without) < ceiling && othersFree.containsAll(candidate.allocated())
          && (candidate.tasks() == 0 || largestFits)) {
        drainable.add(candidate.agentId());
        remaining = without;
        freeElsewhere = othersFree.minus(candidate.allocated());
      }
    }
    if (drainable.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Decision(TARGET, Decision.Kind.CLUSTER, usable.size(), usable.size() - drainable.size(),
        "utilization " + percent(utilization) + " has been below " + percent(settings.clusterLow()) + " for "
            + settings.lowWindow().toSeconds() + "s: agents " + String.join(", ", drainable)
            + " could be drained (kos agent drain ID), least allocated first; their tasks fit on the others",
        policy(), ScaleMode.ADVISORY, metrics, now));
  }

  private String policy() {
    return "cluster: up at " + percent(settings.clusterHigh()) + " for " + settings.highWindow().toSeconds()
        + "s or unplaced for " + settings.pendingWindow().toSeconds() + "s, down below "
        + percent(settings.clusterLow()) + " for " + settings.lowWindow().toSeconds() + "s";
  }

  /** The total most agents have; ties go to the larger, so the advice errs towards fewer machines. */
  static Resources mostCommonSize(List<AgentLoad> agents) {
    Map<Resources, Integer> counts = new HashMap<>();
    agents.forEach(a -> counts.merge(a.total(), 1, Integer::sum));
    return counts.entrySet().stream()
        .max(Comparator.comparingInt((Map.Entry<Resources, Integer> e) -> e.getValue())
            .thenComparingDouble(e -> e.getKey().cpus()).thenComparingDouble(e -> e.getKey().mem()))
        .orElseThrow().getKey();
  }

  private static Instant since(Instant since, Instant now) {
    return since == null ? now : since;
  }

  private static boolean held(Instant since, Duration window, Instant now) {
    return since != null && !now.isBefore(since.plus(window));
  }

  private static Resources times(Resources resources, int n) {
    return Resources.of(resources.cpus() * n, resources.mem() * n, resources.disk() * n);
  }

  private static <T> Resources sum(Collection<T> items, Function<T, Resources> part) {
    Resources total = Resources.NONE;
    for (T item : items) {
      total = total.plus(part.apply(item).scalars());
    }
    return total;
  }

  private static String describe(Resources size) {
    return ScalingPolicy.number(size.cpus()) + " cpus, " + ScalingPolicy.number(size.mem()) + " MiB mem"
        + (size.disk() > 0 ? ", " + ScalingPolicy.number(size.disk()) + " MiB disk" : "");
  }

  private static String percent(double fraction) {
    return Math.round(fraction * 100) + " %";
  }
}
