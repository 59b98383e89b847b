package dev.kos.agent.bus;

import dev.kos.agent.AgentExecutor;
import dev.kos.agent.model.TaskUsage;
import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.model.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * One agent's meters in the process's registry, each tagged with its id (a {@code kos up} runs several agents in one
 * process): its tasks by state, its capacity and what its tasks are allocated, their measured usage, and the
 * placements it carried out. Read from the executor at each scrape, except usage, which is the latest sample the
 * agent took for {@code kos.metrics}. Closing the agent removes its meters.
 */
final class AgentMeters implements AutoCloseable {

  private static final double MIB = 1024.0 * 1024.0;

  /** The latest usage sample, summed over the agent's live tasks. */
  private record Usage(double cpuSeconds, double rssBytes, double processes) {
  }

  private final MeterRegistry registry = ProcessMetrics.registry();
  private final String agentId;
  private final Set<Meter> meters = ConcurrentHashMap.newKeySet();
  private final Counter launches;
  private final Counter kills;
  private volatile Usage usage = new Usage(0, 0, 0);

  AgentMeters(String agentId, AgentExecutor executor) {
    this.agentId = agentId;
    for (TaskState state : TaskState.values()) {
      meters.add(Gauge.builder("kos_agent_tasks", executor, e -> e.reconcile(List.of(), null).stream()
              .filter(status -> status.state() == state).count())
          .description("Tasks the agent knows, by their latest state").tags("agent", agentId, "state", state.name())
          .register(registry));
    }
    gauge("kos_agent_capacity_cpus", "The cpus the agent offers", executor, e -> e.totalResources().cpus());
    gauge("kos_agent_allocated_cpus", "The cpus the agent's tasks were given", executor,
        e -> e.usedResources().cpus());
    gauge("kos_agent_capacity_mem_bytes", "The memory the agent offers", executor,
        e -> e.totalResources().memMb() * MIB);
    gauge("kos_agent_allocated_mem_bytes", "The memory the agent's tasks were given", executor,
        e -> e.usedResources().memMb() * MIB);
    gauge("kos_agent_task_cpu_seconds", "CPU time of the agent's live tasks' processes, at the latest sample", this,
        m -> m.usage.cpuSeconds());
    gauge("kos_agent_task_rss_bytes", "Resident memory of the agent's live tasks' processes, at the latest sample",
        this, m -> m.usage.rssBytes());
    gauge("kos_agent_task_processes", "Processes of the agent's live tasks, at the latest sample", this,
        m -> m.usage.processes());
    launches = counter("kos_agent_launches", "Launches the agent took from kos.placements");
    kills = counter("kos_agent_kills", "Kills the agent took from kos.placements");
  }

  private <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
    meters.add(Gauge.builder(name, source, value).description(description).tag("agent", agentId)
        .strongReference(true).register(registry));
  }

  private Counter counter(String name, String description) {
    Counter counter = Counter.builder(name).description(description).tag("agent", agentId).register(registry);
    meters.add(counter);
    return counter;
  }

  void launched() {
    launches.increment();
  }

  void killed() {
    kills.increment();
  }

  /** A status the agent sent, by state. */
  void statusSent(TaskState state) {
    Counter counter = Counter.builder("kos_agent_statuses").description("Task statuses the agent sent, by state")
        .tags("agent", agentId, "state", state.name()).register(registry);
    meters.add(counter);
    counter.increment();
  }

  /** The usage the agent just sampled, summed over its tasks. */
  void sampled(List<TaskUsage> sample) {
    double cpu = 0;
    double rss = 0;
    double processes = 0;
    for (TaskUsage task : sample) {
      cpu += task.cpuTime().toNanos() / 1e9;
      rss += task.rssBytes();
      processes += task.processes();
    }
    usage = new Usage(cpu, rss, processes);
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
