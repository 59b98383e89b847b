package dev.kos.cli.common;

import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicCatalog;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** How every kos command finds the bus; mixed into each command that talks to it. */
public final class BusOptions {

  @FromEnvironment
  @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (env KOS_BOOTSTRAP_SERVER; default: the cluster `kos up` started)")
  String bootstrapServer;

  @FromEnvironment
  @Option(names = "--schema-registry", paramLabel = "URL",
      description = "Confluent-compatible schema registry URL (env KOS_SCHEMA_REGISTRY; default: the one `kos up` started)")
  String schemaRegistry;

  @FromEnvironment
  @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = TopicCatalog.DEFAULT_PREFIX,
      description = "Prefix of every kos topic (env KOS_TOPIC_PREFIX; default: ${DEFAULT-VALUE})")
  String topicPrefix;

  @FromEnvironment
  @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
      description = "Partitions of the sharded topics when kos creates them (env KOS_PARTITIONS; default: ${DEFAULT-VALUE})")
  int partitions;

  @FromEnvironment
  @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "0",
      description = "Replication factor of topics kos creates; 0 lets kos choose: 3 with min.insync.replicas 2 on a "
          + "bus of 3 or more brokers, else one per broker with min.insync.replicas 1 "
          + "(env KOS_REPLICATION_FACTOR; default: ${DEFAULT-VALUE})")
  short replicationFactor;

  @FromEnvironment
  @Option(names = "--client-config", paramLabel = "FILE",
      description = "Kafka client settings (a properties file) for every client this process starts, for a secured "
          + "bus: security.protocol, sasl.mechanism, sasl.jaas.config, ssl.* (env KOS_CLIENT_CONFIG; see docs/security.md)")
  Path clientConfig;

  /** --bootstrap-server as given, or null: `kos up` tells its own broker from one named on the command line. */
  public String bootstrapServer() {
    return bootstrapServer;
  }

  /** --schema-registry as given, or null. */
  public String schemaRegistry() {
    return schemaRegistry;
  }

  public String topicPrefix() {
    return topicPrefix;
  }

  public TopicCatalog catalog() {
    return new TopicCatalog(topicPrefix, partitions, replicationFactor);
  }

  /** The --client-config file, for a process kos starts that reads it itself. */
  public Optional<Path> clientConfigFile() {
    return Optional.ofNullable(clientConfig);
  }

  /** The settings of --client-config, or none; a file that cannot be read is the user's to fix. */
  public Map<String, String> clientConfig() {
    if (clientConfig == null) {
      return Map.of();
    }
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(clientConfig)) {
      props.load(reader);
    } catch (IOException e) {
      throw new UsageProblem("cannot read the client config " + clientConfig + ": " + e.getMessage()
          + "; pass a Kafka client properties file to --client-config (or KOS_CLIENT_CONFIG)");
    }
    Map<String, String> config = new TreeMap<>();
    props.stringPropertyNames().forEach(key -> config.put(key, props.getProperty(key)));
    return config;
  }

  /** Admin client settings for the bus: what kos needs no schema registry for (topics). */
  public Map<String, Object> adminConfig() {
    return BusSettings.adminConfig(bootstrapServers(), clientConfig());
  }

  /** The bootstrap servers, or a problem that tells the user how to name them. */
  public String bootstrapServers() {
    if (bootstrapServer == null || bootstrapServer.isBlank()) {
      throw new UsageProblem("no Kafka cluster to talk to: run `kos up` in another shell, "
          + "or pass --bootstrap-server HOST:PORT (or set KOS_BOOTSTRAP_SERVER)");
    }
    return bootstrapServer;
  }

  public BusSettings settings() {
    String bootstrap = bootstrapServers();
    if (schemaRegistry == null || schemaRegistry.isBlank()) {
      throw new UsageProblem("no schema registry: run `kos up` in another shell, "
          + "or pass --schema-registry URL (or set KOS_SCHEMA_REGISTRY)");
    }
    try {
      return new BusSettings(bootstrap, schemaRegistry, catalog(), clientConfig());
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(e.getMessage());
    }
  }

  public ControlBus connect() {
    return new ControlBus(settings());
  }
}
