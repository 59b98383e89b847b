package dev.kos.bus;

import dev.kos.bus.catalog.TopicCatalog;
import java.util.Objects;

/**
 * Where the control bus is: the Kafka bootstrap servers, the schema registry and the topic
 * catalogue (prefix and partitions) every process of one kos cluster must agree on.
 */
public record BusSettings(String bootstrapServers, String schemaRegistryUrl, TopicCatalog catalog) {

  public BusSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    Objects.requireNonNull(catalog, "catalog");
  }
}
