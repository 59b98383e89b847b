package dev.kos.allocator.stream;

import dev.kos.bus.metrics.ProcessMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The allocator's meters in the process's registry (docs/metrics.md): counters where the shell carries out what
 * the core decided, and the cluster's figures (each role's DRF share, utilization per resource) as the core sees
 * them. Every shard of the process counts into the same counters. The figures are the whole cluster's (every shard
 * reads the others' summaries), so whichever shard rounded last sets them. Under exactly-once, a transaction that
 * aborts and is replayed counts its offers and launches again: the counters count what was sent, not committed.
 */
final class AllocatorMeters {

  /** How often a shard hands its cluster figures to the gauges: they change no faster than the summaries. */
  static final Duration FIGURES_EVERY = Duration.ofSeconds(1);

  private static final MeterRegistry REGISTRY = ProcessMetrics.registry();
  /** The latest figures, by gauge name and tag value, which the gauges read at each scrape. */
  private static final Map<String, Map<String, Double>> FIGURES = new ConcurrentHashMap<>();
  private static final Set<String> GAUGES = ConcurrentHashMap.newKeySet();
  private static final Timer ROUNDS = Timer.builder("kos_allocator_round")
      .description("Allocation rounds (frameworks and roles, lost agents, expired offers, new offers) and their time")
      .publishPercentileHistogram().register(REGISTRY);

  private Instant nextFigures = Instant.EPOCH;

  static Timer rounds() {
    return ROUNDS;
  }

  void roundDone(boolean failed) {
    ProcessMetrics.counter("kos_allocator_rounds", "Allocation rounds, by outcome (ok, failed)",
        "outcome", failed ? "failed" : "ok").increment();
  }

  void offered(String frameworkId) {
    ProcessMetrics.counter("kos_offers", "Offers the allocator made, by framework", "framework", frameworkId)
        .increment();
  }

  void rescinded(String frameworkId) {
    ProcessMetrics.counter("kos_offers_rescinded", "Offers the allocator rescinded (expired, agent gone, ...)",
        "framework", frameworkId).increment();
  }

  void accepted(String frameworkId) {
    ProcessMetrics.counter("kos_accepts", "Accepts the allocator took in, by framework", "framework", frameworkId)
        .increment();
  }

  void declined(String frameworkId) {
    ProcessMetrics.counter("kos_declines", "Declines the allocator took in, by framework", "framework", frameworkId)
        .increment();
  }

  void launched(String frameworkId) {
    ProcessMetrics.counter("kos_launches", "Tasks the allocator sent to their agents, by framework",
        "framework", frameworkId).increment();
  }

  void dropped(int tasks) {
    ProcessMetrics.counter("kos_tasks_dropped", "Tasks of accepts the allocator refused (answered DROPPED)")
        .increment(tasks);
  }

  void agentLost() {
    ProcessMetrics.counter("kos_agents_lost", "Agents the allocator declared lost").increment();
  }

  /** Hands the cluster's figures to the gauges, at most every {@link #FIGURES_EVERY} from this shard. */
  void figures(Instant now, Supplier<Map<String, Double>> roleShares, Supplier<Map<String, Double>> utilization) {
    if (now.isBefore(nextFigures)) {
      return;
    }
    nextFigures = now.plus(FIGURES_EVERY);
    publish("kos_role_drf_share", "role", roleShares.get(),
        "Each role's dominant share of the cluster: the largest fraction of any resource its tasks and offers hold");
    publish("kos_cluster_utilization", "resource", utilization.get(),
        "The fraction of each resource of the cluster that running tasks hold");
  }

  private static void publish(String name, String tag, Map<String, Double> values, String description) {
    Map<String, Double> figures = FIGURES.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
    figures.putAll(values);
    // A role that is gone reads 0 rather than its last share.
    figures.keySet().forEach(key -> {
      if (!values.containsKey(key)) {
        figures.put(key, 0.0);
      }
    });
    values.keySet().forEach(key -> {
      if (GAUGES.add(name + "\u0000" + key)) {
        Gauge.builder(name, figures, f -> f.getOrDefault(key, 0.0)).tag(tag, key).description(description)
            .register(REGISTRY);
      }
    });
  }
}
