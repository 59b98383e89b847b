package dev.kos.agent.container.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * A container's usage as {@code runc events --stats ID} prints it: one JSON event of type {@code stats} with the
 * container's cgroup counters, the same for cgroup v1 and v2. What a task's usage sample needs of it is read here
 * and nowhere else.
 */
public final class RuncStats {

  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Where resident memory is, most precise first: v1's {@code memory.stat} with the container's sub-cgroups
   * ({@code total_rss}) and without ({@code rss}), v2's anonymous memory ({@code anon}). Page cache is left out, as
   * a process's RSS leaves it out; without any of them, the cgroup's whole usage.
   */
  private static final List<String> RSS_KEYS = List.of("total_rss", "rss", "anon");

  /**
   * The container's usage.
   *
   * @param cpuNanos CPU time its processes used since it started, all CPUs
   * @param rssBytes resident memory, page cache excluded
   * @param processes tasks in its pids cgroup (the kernel counts threads there too)
   */
  public record Usage(long cpuNanos, long rssBytes, int processes) {
  }

  private RuncStats() {
  }

  /**
   * Reads one line of {@code runc events --stats}.
   *
   * @throws IllegalArgumentException it is no stats event, with what it is instead
   */
  public static Usage parse(String json) {
    JsonNode event;
    try {
      event = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("runc events --stats printed no JSON: " + abbreviated(json));
    }
    if (event == null || !event.isObject() || !"stats".equals(event.path("type").asText())
        || !event.path("data").isObject()) {
      throw new IllegalArgumentException("runc events --stats printed no stats event: " + abbreviated(json));
    }
    JsonNode data = event.get("data");
    JsonNode memory = data.path("memory");
    long rss = RSS_KEYS.stream().map(key -> memory.path("raw").path(key)).filter(JsonNode::isNumber)
        .mapToLong(JsonNode::asLong).findFirst()
        .orElse(memory.path("usage").path("usage").asLong(0));
    return new Usage(data.path("cpu").path("usage").path("total").asLong(0), rss,
        data.path("pids").path("current").asInt(0));
  }

  private static String abbreviated(String text) {
    String line = text == null ? "" : text.strip();
    return line.isEmpty() ? "(nothing)" : line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
