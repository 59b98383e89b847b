package dev.kos.bus.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The metrics of this process: one Prometheus registry per JVM, which every kos component running in it (the
 * allocator, agents, frameworks, the balancer, the consumer loops) records to, and which {@link MetricsServer} serves
 * at {@code /metrics}. One registry per process, as Prometheus scrapes one target per process: {@code kos up} runs
 * the allocator, its local agents and the frameworks in one JVM, whose one page shows them all (an agent's meters
 * carry its id). Like Micrometer's own global registry, it is reached statically, because the components of one
 * process are built from separate {@code ControlBus} instances and settings and share nothing else.
 *
 * <p>Names follow Prometheus's conventions: {@code kos_} first, the unit last ({@code _seconds}, {@code _bytes}),
 * counters end in {@code _total} (Micrometer adds it to a counter's name). docs/metrics.md lists every meter.
 */
public final class ProcessMetrics {

  /** The content type of Prometheus's text format, version 0.0.4, which every Prometheus reads. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final PrometheusMeterRegistry PROCESS = withJvmMeters(newRegistry());
  private static final SummedGauges SUMMED = new SummedGauges(PROCESS);

  private ProcessMetrics() {
  }

  /** This process's registry. */
  public static PrometheusMeterRegistry registry() {
    return PROCESS;
  }

  /**
   * A registry of its own, set up as the process's (Prometheus's defaults), for a server that shows something
   * other than its process: the API's {@code /metrics} shows the cluster as its views see it.
   */
  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** The counter {@code name} (without {@code _total}) with these tags (key, value, ...) in the process's registry. */
  public static Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(PROCESS);
  }

  /** Gauges in the process's registry that several sources report under one name and tags, summed. */
  public static SummedGauges summedGauges() {
    return SUMMED;
  }

  /** Counts a record this process sent to kos.dead-letters, by the topic it came from and the consumer that sent it. */
  public static void deadLetterSent(String topic, String consumer) {
    counter("kos_dead_letters_sent", "Records this process sent to kos.dead-letters, by their topic and consumer",
        "topic", topic, "consumer", consumer).increment();
  }

  /** Counts an answer this process wrote to kos.command-results, by who answered and the outcome (ACCEPTED, ...). */
  public static void commandAnswered(String answerer, String outcome) {
    counter("kos_commands_answered", "Command answers this process wrote to kos.command-results",
        "answerer", answerer, "outcome", outcome).increment();
  }

  private static PrometheusMeterRegistry withJvmMeters(PrometheusMeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }
}
