package dev.kos.cli.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.Table;
import dev.kos.cli.results.JsonListing;
import dev.kos.frameworks.kafka.core.Broker;
import dev.kos.frameworks.kafka.core.KafkaCluster;
import dev.kos.frameworks.kafka.core.Placement;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos kafka topics NAME}: the cluster's topics, partition by partition, with where each replica lives. */
@Command(name = "topics", mixinStandardHelpOptions = true,
    description = {"List a cluster's topics with their replicas' placement.",
        "Asks the cluster itself (its Admin API, at the bootstrap servers kos.kafka-clusters names) for each "
            + "partition's leader, replicas and in-sync replicas, and names each replica's broker with its agent "
            + "and rack (the agent's zone) from the kafka framework's record of the cluster."})
public final class KafkaTopicsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Parameters(index = "0", paramLabel = "NAME", description = "The cluster")
  String name;

  @Option(names = "--internal", description = "Also list Kafka's internal topics (__consumer_offsets, ...)")
  boolean internal;

  @Option(names = "--json", description = "One JSON array: per partition its topic, partition, leader, replicas "
      + "(broker, agent, rack, inSync) in preference order")
  boolean json;

  /** One replica of a partition, placed. */
  record Replica(int broker, String agent, String rack, boolean inSync) {
  }

  /** One partition: its leader (-1: none) and replicas, preferred leader first. */
  record PartitionPlacement(String topic, int partition, int leader, List<Replica> replicas) {
  }

  @Override
  public Integer call() throws InterruptedException {
    KafkaCluster cluster = KafkaStatus.read(bus.connect(), name, spec.commandLine().getErr()).cluster();
    List<PartitionPlacement> partitions = read(cluster);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonListing.print(out, json(partitions));
      return 0;
    }
    if (partitions.isEmpty()) {
      out.println("no topics in " + name + (internal ? "" : " (--internal lists Kafka's own)"));
    } else {
      Table table = new Table("TOPIC", "PARTITION", "LEADER", "REPLICAS (broker@agent/rack, * in sync)");
      partitions.forEach(p -> table.row(p.topic(), Integer.toString(p.partition()),
          p.leader() < 0 ? "none" : Integer.toString(p.leader()), replicas(p.replicas())));
      table.print(out);
    }
    out.flush();
    return 0;
  }

  private List<PartitionPlacement> read(KafkaCluster cluster) throws InterruptedException {
    try (ClusterReads reads = ClusterReads.open(cluster)) {
      return reads.topics(internal).values().stream().flatMap(topic -> topic.partitions().stream()
          .map(partition -> placement(topic.name(), partition, cluster))).toList();
    }
  }

  static PartitionPlacement placement(String topic, TopicPartitionInfo partition, KafkaCluster cluster) {
    List<Replica> replicas = partition.replicas().stream().map(node -> {
      Optional<Placement> where = cluster.broker(node.id()).flatMap(Broker::placement);
      return new Replica(node.id(), where.map(Placement::agentId).orElse("?"),
          where.flatMap(Placement::rack).orElse("-"), partition.isr().stream().anyMatch(n -> n.id() == node.id()));
    }).toList();
    return new PartitionPlacement(topic, partition.partition(),
        Optional.ofNullable(partition.leader()).map(Node::id).orElse(-1), replicas);
  }

  static String replicas(List<Replica> replicas) {
    return String.join(" ", replicas.stream()
        .map(r -> r.broker() + "@" + r.agent() + "/" + r.rack() + (r.inSync() ? "*" : "")).toList());
  }

  private static ArrayNode json(List<PartitionPlacement> partitions) {
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode array = mapper.createArrayNode();
    for (PartitionPlacement p : partitions) {
      ObjectNode row = array.addObject().put("topic", p.topic()).put("partition", p.partition())
          .put("leader", p.leader());
      ArrayNode replicas = row.putArray("replicas");
      p.replicas().forEach(r -> replicas.addObject().put("broker", r.broker()).put("agent", r.agent())
          .put("rack", r.rack()).put("inSync", r.inSync()));
    }
    return array;
  }
}
