package dev.kos.bus;

import dev.kos.bus.catalog.TopicCatalog;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the control bus is: the Kafka bootstrap servers, the schema registry and the topic
 * catalogue (prefix and partitions) every process of one kos cluster must agree on, and the
 * client settings every Kafka client of the process needs to reach it (security: SASL, TLS).
 *
 * @param clientConfig Kafka client settings merged into every producer, consumer, admin client and
 *     Kafka Streams configuration kos builds, for example {@code security.protocol},
 *     {@code sasl.mechanism} and {@code sasl.jaas.config}; the settings kos needs to be correct
 *     (exactly-once, idempotence, isolation) are not theirs to change, and win
 */
public record BusSettings(String bootstrapServers, String schemaRegistryUrl, TopicCatalog catalog,
    Map<String, String> clientConfig) {

  public BusSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    Objects.requireNonNull(catalog, "catalog");
    clientConfig = Map.copyOf(clientConfig);
    if (clientConfig.containsKey("bootstrap.servers")) {
      throw new IllegalArgumentException("the client config sets bootstrap.servers; name the bus with "
          + "--bootstrap-server instead");
    }
  }

  /** A bus that needs no client settings beyond its address (an unsecured cluster). */
  public BusSettings(String bootstrapServers, String schemaRegistryUrl, TopicCatalog catalog) {
    this(bootstrapServers, schemaRegistryUrl, catalog, Map.of());
  }

  public BusSettings withClientConfig(Map<String, String> config) {
    return new BusSettings(bootstrapServers, schemaRegistryUrl, catalog, config);
  }

  /** The client config with the bus's address: a start for any client's settings. */
  public Properties clientProperties() {
    Properties props = new Properties();
    props.putAll(clientConfig);
    props.put("bootstrap.servers", bootstrapServers);
    return props;
  }

  /** Admin client settings: the bus's address and its client config. */
  public Map<String, Object> adminConfig() {
    return adminConfig(bootstrapServers, clientConfig);
  }

  /** Admin client settings for a bus known only by its address and client config (no registry needed). */
  public static Map<String, Object> adminConfig(String bootstrapServers, Map<String, String> clientConfig) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put("bootstrap.servers", bootstrapServers);
    return config;
  }
}
