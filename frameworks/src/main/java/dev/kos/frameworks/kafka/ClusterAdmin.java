package dev.kos.frameworks.kafka;

import dev.kos.frameworks.kafka.core.MetadataLevels;
import dev.kos.frameworks.kafka.core.Observation;
import dev.kos.frameworks.kafka.core.PartitionId;
import dev.kos.frameworks.kafka.core.Throttles;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.SupportedVersionRange;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The Admin API of one cluster run by the framework: reads it (health, partitions, sizes, moves in progress,
 * metadata.version), moves partitions, throttled, and raises metadata.version after an upgrade. Calls block for
 * at most a few seconds; a cluster that does not answer reads as
 * {@link Optional#empty()}.
 */
final class ClusterAdmin implements AutoCloseable {

  private static final long TIMEOUT_MS = 8_000;
  private static final String METADATA_VERSION = "metadata.version";

  private final String bootstrap;
  private final Admin admin;

  ClusterAdmin(String bootstrap) {
    this.bootstrap = bootstrap;
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kos-kafka-framework");
    this.admin = Admin.create(props);
  }

  String bootstrap() {
    return bootstrap;
  }

  /** @param now when the read begins: its observation holds from then on */
  Optional<AdminSnapshot> read(Instant now) throws InterruptedException {
    try {
      Set<Integer> alive = admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).stream()
          .map(Node::id).collect(Collectors.toSet());
      Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
          .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
          .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      Map<PartitionId, List<Integer>> assignment = new HashMap<>();
      Map<Integer, Integer> replicas = new HashMap<>();
      Map<Integer, Integer> leaders = new HashMap<>();
      Map<Integer, Integer> underReplicatedLed = new HashMap<>();
      int underReplicated = 0;
      int offline = 0;
      for (TopicDescription topic : described.values()) {
        for (TopicPartitionInfo partition : topic.partitions()) {
          List<Integer> ids = partition.replicas().stream().map(Node::id).toList();
          assignment.put(new PartitionId(topic.name(), partition.partition()), ids);
          ids.forEach(id -> replicas.merge(id, 1, Integer::sum));
          boolean under = partition.isr().size() < partition.replicas().size();
          underReplicated += under ? 1 : 0;
          if (partition.leader() == null || partition.leader().isEmpty()) {
            offline++;
          } else {
            leaders.merge(partition.leader().id(), 1, Integer::sum);
            if (under) {
              underReplicatedLed.merge(partition.leader().id(), 1, Integer::sum);
            }
          }
        }
      }
      int moving = admin.listPartitionReassignments().reassignments().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
      Map<Integer, Long> sizes = new HashMap<>();
      Map<PartitionId, Long> partitionBytes = new HashMap<>();
      admin.describeLogDirs(alive).allDescriptions().get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .forEach((broker, dirs) -> {
            sizes.put(broker, dirs.values().stream()
                .flatMap(dir -> dir.replicaInfos().values().stream()).mapToLong(info -> info.size()).sum());
            // A partition weighs what its largest replica holds: what a new replica must copy.
            dirs.values().forEach(dir -> dir.replicaInfos().forEach((tp, info) -> partitionBytes.merge(
                new PartitionId(tp.topic(), tp.partition()), info.size(), Math::max)));
          });
      return Optional.of(new AdminSnapshot(new Observation(alive, underReplicated, offline, replicas, moving > 0,
          metadataLevels(), now), assignment, leaders, underReplicatedLed, sizes, moving, partitionBytes));
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
  }

  private MetadataLevels metadataLevels() throws InterruptedException, ExecutionException, TimeoutException {
    FeatureMetadata features = admin.describeFeatures().featureMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    FinalizedVersionRange finalized = features.finalizedFeatures().get(METADATA_VERSION);
    SupportedVersionRange supported = features.supportedFeatures().get(METADATA_VERSION);
    return finalized == null || supported == null ? MetadataLevels.UNKNOWN
        : new MetadataLevels(finalized.maxVersionLevel(), supported.maxVersion());
  }

  /** Raises the cluster's metadata.version; the controller refuses a level some registered broker cannot read. */
  void raiseMetadataVersion(short level) throws InterruptedException, ExecutionException {
    admin.updateFeatures(Map.of(METADATA_VERSION, new FeatureUpdate(level, FeatureUpdate.UpgradeType.UPGRADE)),
        new UpdateFeaturesOptions()).all().get();
  }

  /** Throttles the replication of the moving partitions on every broker, then submits the moves. */
  void reassign(Collection<Integer> brokers, Map<PartitionId, List<Integer>> current,
      Map<PartitionId, List<Integer>> moves, long bytesPerSecond) throws InterruptedException, ExecutionException {
    Map<ConfigResource, Collection<AlterConfigOp>> configs = new HashMap<>();
    for (int broker : brokers) {
      configs.put(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(broker)), List.of(
          set(Throttles.LEADER_RATE, Long.toString(bytesPerSecond)),
          set(Throttles.FOLLOWER_RATE, Long.toString(bytesPerSecond))));
    }
    Throttles.replicas(current, moves).forEach((topic, entries) -> configs.put(
        new ConfigResource(ConfigResource.Type.TOPIC, topic),
        entries.entrySet().stream().map(e -> set(e.getKey(), e.getValue())).toList()));
    admin.incrementalAlterConfigs(configs).all().get();
    Map<TopicPartition, Optional<NewPartitionReassignment>> reassignments = new HashMap<>();
    moves.forEach((partition, replicas) -> reassignments.put(new TopicPartition(partition.topic(),
        partition.partition()), Optional.of(new NewPartitionReassignment(replicas))));
    admin.alterPartitionReassignments(reassignments).all().get();
  }

  /** Removes the throttles a reassignment set; the topics are those it moved. */
  void unthrottle(Collection<Integer> brokers, Collection<String> topics)
      throws InterruptedException, ExecutionException {
    Map<ConfigResource, Collection<AlterConfigOp>> configs = new HashMap<>();
    for (int broker : brokers) {
      configs.put(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(broker)), List.of(
          delete(Throttles.LEADER_RATE), delete(Throttles.FOLLOWER_RATE)));
    }
    topics.forEach(topic -> configs.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(
        delete(Throttles.LEADER_REPLICAS), delete(Throttles.FOLLOWER_REPLICAS))));
    admin.incrementalAlterConfigs(configs).all().get();
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(2));
  }

  private static AlterConfigOp set(String key, String value) {
    return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
  }

  private static AlterConfigOp delete(String key) {
    return new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE);
  }
}
