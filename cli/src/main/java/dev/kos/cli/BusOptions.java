package dev.kos.cli;

import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicCatalog;
import picocli.CommandLine.Option;

/** How every kos command finds the bus; mixed into each command that talks to it. */
public final class BusOptions {

  @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (env KOS_BOOTSTRAP_SERVER; default: the cluster `kos up` started)")
  String bootstrapServer;

  @Option(names = "--schema-registry", paramLabel = "URL",
      description = "Confluent-compatible schema registry URL (env KOS_SCHEMA_REGISTRY; default: the one `kos up` started)")
  String schemaRegistry;

  @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = TopicCatalog.DEFAULT_PREFIX,
      description = "Prefix of every kos topic (env KOS_TOPIC_PREFIX; default: ${DEFAULT-VALUE})")
  String topicPrefix;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
      description = "Partitions of the sharded topics when kos creates them (env KOS_PARTITIONS; default: ${DEFAULT-VALUE})")
  int partitions;

  @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "1",
      description = "Replication factor of topics kos creates (env KOS_REPLICATION_FACTOR; default: ${DEFAULT-VALUE})")
  short replicationFactor;

  public TopicCatalog catalog() {
    return new TopicCatalog(topicPrefix, partitions, replicationFactor);
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
    return new BusSettings(bootstrap, schemaRegistry, catalog());
  }

  public ControlBus connect() {
    return new ControlBus(settings());
  }
}
