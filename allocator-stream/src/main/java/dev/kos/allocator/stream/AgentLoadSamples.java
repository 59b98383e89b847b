package dev.kos.allocator.stream;

import dev.kos.allocator.core.AgentLoad;
import dev.kos.model.Resources;
import dev.kos.schema.MetricSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The allocator's books per agent as {@code agent} samples on {@code kos.metrics}, source
 * {@code allocator:<agent id>}: the autoscaler runs in one stream task and cannot read the allocator's
 * per-shard stores, so each shard tells it what its agents hold. A sample goes out when an agent's load
 * changed and at least every {@link #REFRESH} (the autoscaler forgets agents it has not heard of), and a
 * last one with {@code removed = 1} when an agent leaves.
 */
final class AgentLoadSamples {

  static final String SOURCE_PREFIX = "allocator:";
  static final Duration REFRESH = Duration.ofSeconds(30);

  private record Published(AgentLoad load, Instant at) {
  }

  private final Map<String, Published> published = new HashMap<>();

  /** The samples due now for these loads; remembers them as published. */
  List<MetricSample> due(List<AgentLoad> loads, Instant now) {
    List<MetricSample> samples = new ArrayList<>();
    for (AgentLoad load : loads) {
      Published last = published.get(load.agentId());
      if (last == null || !last.load().equals(load) || !now.isBefore(last.at().plus(REFRESH))) {
        published.put(load.agentId(), new Published(load, now));
        samples.add(sample(load.agentId(), values(load), now));
      }
    }
    return samples;
  }

  /** The last word on an agent that left, if its load was ever published. */
  Optional<MetricSample> gone(String agentId, Instant now) {
    return published.remove(agentId) == null
        ? Optional.empty()
        : Optional.of(sample(agentId, Map.of("removed", 1.0), now));
  }

  /** Reads a sample back; empty when it is not one of these. */
  static Optional<AgentLoad> load(MetricSample sample) {
    Map<String, Double> v = sample.getValues();
    if (!"agent".equals(sample.getKind()) || !sample.getSourceId().startsWith(SOURCE_PREFIX)
        || v.getOrDefault("removed", 0.0) > 0) {
      return Optional.empty();
    }
    return Optional.of(new AgentLoad(sample.getSourceId().substring(SOURCE_PREFIX.length()),
        resources(v, "cpus", "mem", "disk"), resources(v, "allocatedCpus", "allocatedMem", "allocatedDisk"),
        v.getOrDefault("tasks", 0.0).intValue(), resources(v, "largestTaskCpus", "largestTaskMem", "largestTaskDisk"),
        v.getOrDefault("draining", 0.0) > 0));
  }

  static boolean isAgentSample(MetricSample sample) {
    return "agent".equals(sample.getKind()) && sample.getSourceId().startsWith(SOURCE_PREFIX);
  }

  static String agentOf(MetricSample sample) {
    return sample.getSourceId().substring(SOURCE_PREFIX.length());
  }

  private static Map<String, Double> values(AgentLoad load) {
    Map<String, Double> values = new LinkedHashMap<>();
    put(values, "", load.total());
    put(values, "allocated", load.allocated());
    put(values, "largestTask", load.largestTask());
    values.put("tasks", (double) load.tasks());
    values.put("draining", load.draining() ? 1.0 : 0.0);
    return values;
  }

  private static void put(Map<String, Double> values, String prefix, Resources resources) {
    values.put(prefix.isEmpty() ? "cpus" : prefix + "Cpus", resources.cpus());
    values.put(prefix.isEmpty() ? "mem" : prefix + "Mem", resources.mem());
    values.put(prefix.isEmpty() ? "disk" : prefix + "Disk", resources.disk());
  }

  private static Resources resources(Map<String, Double> values, String cpus, String mem, String disk) {
    return Resources.of(values.getOrDefault(cpus, 0.0), values.getOrDefault(mem, 0.0),
        values.getOrDefault(disk, 0.0));
  }

  private static MetricSample sample(String agentId, Map<String, Double> values, Instant now) {
    return MetricSample.newBuilder().setSourceId(SOURCE_PREFIX + agentId).setKind("agent").setAgentId(agentId)
        .setValues(values).setTimestamp(now).build();
  }
}
