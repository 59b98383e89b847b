package dev.kos.lb;

import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.lb.core.Served;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code kos lb}'s meters in the process's registry, tagged with the balancer's name and the app: requests by status
 * class with their latency, retried requests, and each app's backends and requests in flight (read from the edge at
 * each scrape). The latency histogram has a few fixed buckets rather than Micrometer's percentile histogram, since
 * it is kept per app and status class.
 */
final class LbMeters {

  private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)};

  private final MeterRegistry registry = ProcessMetrics.registry();
  private final String lb;
  private final EdgeServer edge;
  private final Set<String> apps = ConcurrentHashMap.newKeySet();
  private final Set<Meter> gauges = ConcurrentHashMap.newKeySet();

  LbMeters(String lb, EdgeServer edge) {
    this.lb = lb;
    this.edge = edge;
  }

  /** One request answered; on an I/O thread, so nothing here blocks. */
  void served(Served request) {
    Timer.builder("kos_lb_requests").description("Requests the balancer answered, by app and status class")
        .tags("lb", lb, "app", request.appId(), "status_class", request.statusClass())
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry).record(request.micros(), TimeUnit.MICROSECONDS);
    if (request.tries() > 1) {
      Counter.builder("kos_lb_retried_requests").description("Requests the balancer tried on more than one backend")
          .tags("lb", lb, "app", request.appId()).register(registry).increment();
    }
  }

  /** An app the balancer serves: its backend gauges, once. */
  void app(String appId) {
    if (!apps.add(appId)) {
      return;
    }
    gauges.add(Gauge.builder("kos_lb_backends", edge, e -> e.backends().getOrDefault(appId, List.of()).size())
        .description("Backends (instances) the balancer sends an app's requests to").tags("lb", lb, "app", appId)
        .register(registry));
    gauges.add(Gauge.builder("kos_lb_in_flight", edge, e -> inFlight(e, appId))
        .description("Requests in flight to an app's backends").tags("lb", lb, "app", appId).register(registry));
  }

  /** Removes the gauges, which read this balancer's edge. */
  void close() {
    gauges.forEach(registry::remove);
    gauges.clear();
    apps.clear();
  }

  private static double inFlight(EdgeServer edge, String appId) {
    return edge.inFlight().getOrDefault(appId, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
  }
}
