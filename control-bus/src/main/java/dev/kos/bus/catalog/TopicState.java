package dev.kos.bus.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the cluster says about one topic: its partition count and the settings kos owns.
 *
 * @param configs only the settings the catalogue declares, as the broker reports them
 */
public record TopicState(String name, int partitions, Map<String, String> configs) {

  public TopicState {
    configs = Map.copyOf(configs);
  }

  /**
   * Compares this state with the catalogue's declaration. A topic with more partitions than
   * declared is a conflict for co-partitioned topics only: elsewhere more parallelism is
   * harmless, but agent-keyed topics must agree or records of one agent land on two shards.
   */
  public List<TopicConflict> conflictsWith(TopicCatalog catalog, TopicDef<?> topic) {
    List<TopicConflict> conflicts = new ArrayList<>();
    int expectedPartitions = catalog.partitionsOf(topic);
    boolean partitionsOk = topic.coPartitioned()
        ? partitions == expectedPartitions
        : partitions >= expectedPartitions;
    if (!partitionsOk) {
      conflicts.add(new TopicConflict(name, "partitions",
          (topic.coPartitioned() ? "" : "at least ") + expectedPartitions, Integer.toString(partitions)));
    }
    catalog.configOf(topic).forEach((key, expected) -> {
      String actual = configs.get(key);
      if (!expected.equals(actual)) {
        conflicts.add(new TopicConflict(name, key, expected, String.valueOf(actual)));
      }
    });
    return conflicts;
  }
}
