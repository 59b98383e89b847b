package dev.kos.frameworks.kafka.core;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A broker's server.properties, but for {@code log.dirs}, which the task points into its volume. kos owns the
 * identity and listener keys; small-cluster defaults follow, and the user's config overrides those.
 */
public final class ServerConfig {

  /** Keys the framework sets itself; a user's config may not name them. */
  public static final Set<String> OWNED = Set.of("node.id", "process.roles", "controller.quorum.voters",
      "controller.quorum.bootstrap.servers", "listeners", "advertised.listeners", "controller.listener.names",
      "listener.security.protocol.map", "inter.broker.listener.name", "log.dirs", "log.dir", "metadata.log.dir",
      "broker.rack");

  private ServerConfig() {
  }

  public static Map<String, String> properties(KafkaCluster cluster, Broker broker) {
    Placement where = broker.placement().orElseThrow(() -> new IllegalStateException(
        "broker " + broker.nodeId() + " of " + cluster.name() + " has no placement yet"));
    int replication = cluster.controllers().size();
    Map<String, String> props = new TreeMap<>();
    props.put("offsets.topic.replication.factor", Integer.toString(replication));
    props.put("transaction.state.log.replication.factor", Integer.toString(replication));
    props.put("transaction.state.log.min.isr", Integer.toString(Math.min(2, replication)));
    props.put("default.replication.factor", Integer.toString(replication));
    props.put("group.initial.rebalance.delay.ms", "0");
    // Small brokers sharing small machines: few threads, and a cleaner buffer that fits a small heap.
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.put("background.threads", "2");
    props.put("log.cleaner.threads", "1");
    props.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
    props.putAll(cluster.config());
    props.put("node.id", Integer.toString(broker.nodeId()));
    props.put("process.roles", broker.controller() ? "broker,controller" : "broker");
    props.put("controller.quorum.voters", voters(cluster));
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("listeners", broker.controller()
        ? "PLAINTEXT://:" + where.clientPort() + ",CONTROLLER://:" + where.controllerPort()
        : "PLAINTEXT://:" + where.clientPort());
    props.put("advertised.listeners", "PLAINTEXT://" + where.clientEndpoint());
    // Kafka spreads a new topic's replicas over racks, and clients with client.rack may fetch from their own.
    where.rack().ifPresent(rack -> props.put("broker.rack", rack));
    return props;
  }

  /** {@code 1@host:port,2@host:port,...}: the static voter set, known once every controller is placed. */
  public static String voters(KafkaCluster cluster) {
    return cluster.controllers().stream().map(c -> {
      Placement where = c.placement().orElseThrow(() -> new IllegalStateException(
          "controller " + c.nodeId() + " of " + cluster.name() + " is not placed yet"));
      return c.nodeId() + "@" + where.hostname() + ":" + where.controllerPort();
    }).collect(Collectors.joining(","));
  }

  /** The bootstrap servers of the cluster's placed brokers. */
  public static String bootstrapServers(KafkaCluster cluster) {
    return cluster.brokers().stream().flatMap(b -> b.placement().stream()).map(Placement::clientEndpoint)
        .collect(Collectors.joining(","));
  }
}
