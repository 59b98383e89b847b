package dev.kos.cli.kafka;

import dev.kos.cli.common.UsageProblem;
import dev.kos.frameworks.kafka.core.KafkaCluster;
import dev.kos.frameworks.kafka.core.PartitionId;
import dev.kos.frameworks.kafka.core.ServerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;

/** What `kos kafka topics` and `kos kafka rebalance` ask a cluster run by kos itself, through its Admin API. */
final class ClusterReads implements AutoCloseable {

  private static final long TIMEOUT_SECONDS = 15;

  private final KafkaCluster cluster;
  private final String bootstrap;
  private final Admin admin;

  private ClusterReads(KafkaCluster cluster, String bootstrap, Admin admin) {
    this.cluster = cluster;
    this.bootstrap = bootstrap;
    this.admin = admin;
  }

  static ClusterReads open(KafkaCluster cluster) {
    String bootstrap = ServerConfig.bootstrapServers(cluster);
    if (bootstrap.isEmpty()) {
      throw new UsageProblem("no broker of " + cluster.name() + " is placed yet: `kos kafka describe "
          + cluster.name() + "` says why");
    }
    try {
      // The request timeout must not exceed the API timeout: Kafka refuses to create the client otherwise.
      return new ClusterReads(cluster, bootstrap, Admin.create(Map.of(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS) / 2,
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS))));
    } catch (KafkaException e) {
      throw unreachable(cluster, bootstrap, e);
    }
  }

  /** Every topic's description, by name; Kafka's internal topics only if asked. */
  Map<String, TopicDescription> topics(boolean internal) throws InterruptedException {
    try {
      Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(internal)).names()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new TreeMap<>(admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw unreachable(cluster, bootstrap, e);
    }
  }

  /** Each partition's replicas, preferred leader first. */
  Map<PartitionId, java.util.List<Integer>> assignment() throws InterruptedException {
    Map<PartitionId, java.util.List<Integer>> assignment = new TreeMap<>();
    topics(true).values().forEach(topic -> topic.partitions().forEach(p -> assignment.put(
        new PartitionId(topic.name(), p.partition()), p.replicas().stream().map(Node::id).toList())));
    return assignment;
  }

  /** Each partition's size: its largest replica, what a new replica must copy. */
  Map<PartitionId, Long> partitionBytes() throws InterruptedException {
    try {
      Set<Integer> brokers = admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
          .map(Node::id).collect(Collectors.toSet());
      Map<PartitionId, Long> bytes = new HashMap<>();
      admin.describeLogDirs(brokers).allDescriptions().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .values().forEach(dirs -> dirs.values().forEach(dir -> dir.replicaInfos().forEach((tp, info) ->
              bytes.merge(new PartitionId(tp.topic(), tp.partition()), info.size(), Math::max))));
      return bytes;
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw unreachable(cluster, bootstrap, e);
    }
  }

  private static UsageProblem unreachable(KafkaCluster cluster, String bootstrap, Exception e) {
    return new UsageProblem("cannot read kafka cluster " + cluster.name() + " at " + bootstrap + ": "
        + (e.getCause() == null ? e : e.getCause()));
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(2));
  }
}
