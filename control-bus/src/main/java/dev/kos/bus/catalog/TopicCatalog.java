package dev.kos.bus.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Resolves the logical topics of {@link Topics} to concrete names and settings for one
 * cluster: every name gets the prefix (default {@code kos.}) and every topic a partition
 * count. Agent-keyed topics share one count so that they stay co-partitioned.
 *
 * @param replicationFactor the replication factor of topics kos creates, or
 *     {@link Durability#BY_BROKERS} (the default) for kos to choose by the bus's brokers
 */
public record TopicCatalog(String prefix, int partitions, short replicationFactor) {

  public static final String DEFAULT_PREFIX = "kos.";
  public static final int DEFAULT_PARTITIONS = 4;

  public TopicCatalog {
    if (prefix == null || !prefix.matches("[A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "topic prefix '" + prefix + "' may only hold letters, digits, '.', '_' and '-'");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    if (replicationFactor < 0) {
      throw new IllegalArgumentException("replication factor must be at least 1 (or 0 to let kos choose), was "
          + replicationFactor);
    }
  }

  public static TopicCatalog defaults() {
    return new TopicCatalog(DEFAULT_PREFIX, DEFAULT_PARTITIONS, Durability.BY_BROKERS);
  }

  public String name(TopicDef<?> topic) {
    return prefix + topic.suffix();
  }

  /** Partitions for a topic: compacted registries need no parallelism, the rest do. */
  public int partitionsOf(TopicDef<?> topic) {
    return topic.coPartitioned() || topic.cleanup() == TopicDef.CleanupPolicy.DELETE ? partitions : 1;
  }

  /** The topic-level settings kos owns and validates on an existing topic. */
  public Map<String, String> configOf(TopicDef<?> topic) {
    if (topic.cleanup() == TopicDef.CleanupPolicy.COMPACT) {
      return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }
    return Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
        TopicConfig.RETENTION_MS_CONFIG, Long.toString(topic.retention().toMillis()));
  }

  public List<TopicDef<?>> topics() {
    return Topics.ALL;
  }

  /** Looks a topic up by its full name ({@code kos.commands}) or its suffix ({@code commands}). */
  public Optional<TopicDef<?>> find(String nameOrSuffix) {
    return Topics.ALL.stream()
        .filter(t -> name(t).equals(nameOrSuffix) || t.suffix().equals(nameOrSuffix))
        .findFirst();
  }
}
