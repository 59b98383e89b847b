package dev.kos.frameworks.kafka.core;

/** One-line descriptions of a cluster and its brokers, as {@code kos.status} and {@code kos kafka describe} show. */
public final class ClusterText {

  private ClusterText() {
  }

  /** {@code RUNNING healthy on a1 at host:9092, controller+broker, Kafka 4.3.1, config 2}. */
  public static String describe(Broker broker) {
    String health = broker.healthy().map(h -> h ? " healthy" : " unhealthy").orElse("");
    String where = broker.placement().map(p -> " on " + p.agentId() + " at " + p.clientEndpoint()).orElse("");
    String failures = broker.failures() > 0 ? ", failures in a row: " + broker.failures() : "";
    return broker.phase() + health + where + ", " + (broker.controller() ? "controller+broker" : "broker")
        + broker.version().map(v -> ", Kafka " + v).orElse("") + ", config " + broker.configVersion() + failures;
  }

  /** {@code 3 brokers, Kafka 4.3.1, config version 2, rebalance NONE, bootstrap host:9092,...}. */
  public static String describe(KafkaCluster cluster) {
    return cluster.members().size() + " brokers, Kafka " + cluster.version() + ", config version "
        + cluster.configVersion() + ", rebalance " + cluster.rebalance() + ", bootstrap "
        + ServerConfig.bootstrapServers(cluster);
  }
}
