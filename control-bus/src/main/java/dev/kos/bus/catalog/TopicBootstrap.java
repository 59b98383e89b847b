package dev.kos.bus.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the cluster match the catalogue: creates missing topics, checks existing ones, and
 * refuses to go on when an existing topic conflicts, saying what differs. Safe to run any
 * number of times and from several processes at once.
 */
public final class TopicBootstrap {

  private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);

  private static final Set<String> OWNED_CONFIGS =
      Set.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.RETENTION_MS_CONFIG);
  private static final int METADATA_ATTEMPTS = 20;

  private final Admin admin;
  private final TopicCatalog catalog;

  public TopicBootstrap(Admin admin, TopicCatalog catalog) {
    this.admin = admin;
    this.catalog = catalog;
  }

  /**
   * The outcome of one bootstrap: which topics were created and which already existed, and the
   * durability new topics got.
   */
  public record Outcome(List<String> created, List<String> existing, Durability durability) {
  }

  /**
   * The durability of topics kos creates on this bus: the catalogue's replication factor, or the
   * one {@link Durability} chooses for the bus's brokers. Kafka Streams applications of kos give
   * their internal topics the same ({@code replication.factor}, and {@code min.insync.replicas}
   * through the topic prefix).
   */
  public Durability durability() throws ExecutionException, InterruptedException {
    return Durability.of(admin, catalog.replicationFactor());
  }

  public Outcome ensureTopics() {
    try {
      Set<String> present = admin.listTopics().names().get();
      Durability durability = durability();
      List<String> created = new ArrayList<>();
      List<TopicDef<?>> existing = new ArrayList<>();
      for (TopicDef<?> topic : catalog.topics()) {
        if (!present.contains(catalog.name(topic)) && create(topic, durability)) {
          created.add(catalog.name(topic));
        } else {
          existing.add(topic);
        }
      }
      List<TopicConflict> conflicts = conflicts(existing);
      if (!conflicts.isEmpty()) {
        throw new TopicConflictException(conflicts);
      }
      // A creation is acknowledged before the broker's metadata shows it: return only once it does, so that
      // whoever lists or uses the topics next finds them all.
      if (!created.isEmpty()) {
        describeTopics(created);
      }
      if (!created.isEmpty()) {
        log.info("created {} topic(s) with {}", created.size(), durability.describe());
      }
      return new Outcome(created, existing.stream().map(catalog::name).toList(), durability);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while bootstrapping topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not bootstrap topics: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** The state of every catalogue topic on the cluster; absent topics are missing from the map. */
  public Map<String, TopicState> describe() throws ExecutionException, InterruptedException {
    Set<String> present = admin.listTopics().names().get();
    List<String> names = catalog.topics().stream().map(catalog::name).filter(present::contains).toList();
    return describe(names);
  }

  /**
   * Creates the topic; false when it exists already, which happens when another process
   * created it, or when the topic listing lagged behind a creation (it is eventually consistent).
   */
  private boolean create(TopicDef<?> topic, Durability durability) throws InterruptedException, ExecutionException {
    Map<String, String> configs = new HashMap<>(catalog.configOf(topic));
    configs.putAll(durability.topicConfig());
    NewTopic newTopic = new NewTopic(catalog.name(topic), catalog.partitionsOf(topic), durability.replicationFactor())
        .configs(configs);
    try {
      admin.createTopics(List.of(newTopic)).all().get();
      log.info("created topic {} ({} partitions, {}, replication factor {}, min.insync.replicas {})", newTopic.name(),
          newTopic.numPartitions(), topic.cleanup().kafkaName(), durability.replicationFactor(),
          durability.minInsyncReplicas());
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false;
      }
      throw e;
    }
  }

  private List<TopicConflict> conflicts(List<TopicDef<?>> existing) throws InterruptedException, ExecutionException {
    Map<String, TopicState> states = describe(existing.stream().map(catalog::name).toList());
    List<TopicConflict> conflicts = new ArrayList<>();
    for (TopicDef<?> topic : existing) {
      conflicts.addAll(states.get(catalog.name(topic)).conflictsWith(catalog, topic));
    }
    return conflicts;
  }

  private Map<String, TopicState> describe(Collection<String> names) throws InterruptedException, ExecutionException {
    if (names.isEmpty()) {
      return Map.of();
    }
    Map<String, TopicDescription> descriptions = describeTopics(names);
    List<ConfigResource> resources = names.stream()
        .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
    return names.stream().collect(Collectors.toMap(n -> n, n -> {
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, n));
      Map<String, String> owned = config.entries().stream()
          .filter(e -> OWNED_CONFIGS.contains(e.name()))
          .collect(Collectors.toMap(e -> e.name(), e -> e.value()));
      return new TopicState(n, descriptions.get(n).partitions().size(), owned);
    }));
  }

  /** Describes topics, waiting out the short window in which a new topic is not yet known. */
  private Map<String, TopicDescription> describeTopics(Collection<String> names)
      throws InterruptedException, ExecutionException {
    for (int attempt = 1; ; attempt++) {
      try {
        return admin.describeTopics(names).allTopicNames().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt == METADATA_ATTEMPTS) {
          throw e;
        }
        Thread.sleep(100L * attempt);
      }
    }
  }
}
