package dev.kos.api.metrics;

import dev.kos.api.views.LiveViews;
import dev.kos.api.views.StatusFeed;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.schema.TaskState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code /metrics} shows, in Prometheus's text format: the API's own requests (by route and status, with their
 * latency) and the cluster as the API's views see it (agents, tasks by state, command answers by outcome, dead letters
 * by topic). The cluster's figures are read from the views at each scrape.
 */
public final class ApiMetrics {

  /**
   * A registry of the API's own, set up as every kos process's ({@link ProcessMetrics#newRegistry}): its page shows the
   * cluster as the views see it, which the process's registry (served by {@code kos up} on its metrics port) does not.
   */
  private final PrometheusMeterRegistry registry = ProcessMetrics.newRegistry();
  private final LiveViews views;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  public ApiMetrics(LiveViews views, StatusFeed feed) {
    this.views = views;
    Gauge.builder("kos_agents", views, v -> v.latest(Topics.AGENTS).size())
        .description("Agents in kos.agents").register(registry);
    for (TaskState state : TaskState.values()) {
      Gauge.builder("kos_tasks", views,
              v -> v.latest(Topics.TASKS).values().stream().filter(t -> t.getState() == state).count())
          .tag("state", state.toString()).description("Tasks in kos.tasks by their latest state").register(registry);
    }
    Gauge.builder("kos_apps", views, v -> v.latest(Topics.APPS).size()).description("Apps").register(registry);
    Gauge.builder("kos_jobs", views, v -> v.latest(Topics.JOBS).size()).description("Jobs").register(registry);
    Gauge.builder("kos_api_event_stream_clients", feed, StatusFeed::subscribers)
        .description("Clients following /api/v1/events").register(registry);
  }

  /** Counts one request and its latency under its route (the matched pattern, never the raw path). */
  public void request(String method, String route, int status, Duration took) {
    Timer.builder("kos_api_requests").description("Requests the API served")
        .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .register(registry).record(took);
  }

  /** The page {@code /metrics} serves. */
  public String scrape() {
    counters("kos_command_answers", "outcome", views.answersByStatus(), "Command answers on kos.command-results");
    counters("kos_dead_letters", "topic", views.deadLettersByTopic(), "Dead letters by the topic of their record");
    counters("kos_api_undecodable_records", "topic", views.undecodableByTopic(),
        "Records the API's views passed over because they do not decode");
    return registry.scrape();
  }

  /** Registers a counter for each key seen since the last scrape: these keys are known only as records come. */
  private void counters(String name, String tag, Map<String, AtomicLong> counts, String description) {
    counts.forEach((key, count) -> {
      if (registered.add(name + "\u0000" + key)) {
        FunctionCounter.builder(name, count, AtomicLong::get).tag(tag, key).description(description)
            .register(registry);
      }
    });
  }
}
