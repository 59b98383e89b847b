package dev.kos.frameworks.kafka;

import dev.kos.frameworks.kafka.core.KafkaCluster;
import dev.kos.frameworks.kafka.edge.KafkaStateAvro;
import dev.kos.schema.KafkaClusterState;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework's clusters as records of the compacted {@code kos.kafka-clusters}: read back when the framework
 * starts, and each written again (by the framework runtime) whenever it changed, so that a restarted framework
 * resumes where it was while its brokers run on. Each record also carries the password of the cluster's read-only
 * JMX user. Called with the framework's lock held, but for {@link #jmxSecret}.
 */
final class ClusterStore {

  private static final Logger log = LoggerFactory.getLogger(ClusterStore.class);

  private final String topic;
  private final Clock clock;
  private final Map<String, KafkaCluster> written = new HashMap<>();
  private final Map<String, String> jmxSecrets = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  /** @param topic the topic's name, for messages */
  ClusterStore(String topic, Clock clock) {
    this.topic = topic;
    this.clock = clock;
  }

  /**
   * The clusters as last written; a record this framework cannot read is skipped with a warning.
   *
   * @param defaultVersion the release of clusters whose record names none (written before upgrades existed)
   */
  Map<String, KafkaCluster> restore(Map<String, KafkaClusterState> records, String defaultVersion) {
    Map<String, KafkaCluster> clusters = new TreeMap<>();
    records.forEach((name, state) -> {
      try {
        clusters.put(name, KafkaStateAvro.core(state, defaultVersion));
        if (state.getJmxSecret() != null) {
          jmxSecrets.put(name, state.getJmxSecret());
        }
      } catch (IllegalArgumentException e) {
        log.warn("cannot restore kafka cluster {} from {}: {}; it is left as it is", name, topic, e.getMessage());
      }
    });
    // A cluster restored without a JMX secret gets one, written with its next record: not marked written.
    clusters.forEach((name, cluster) -> {
      if (jmxSecrets.containsKey(name)) {
        written.put(name, cluster);
      }
    });
    return clusters;
  }

  /**
   * The password of the read-only JMX user on the cluster's brokers: drawn once per cluster, kept with its record.
   * Any thread may ask.
   */
  String jmxSecret(String cluster) {
    return jmxSecrets.computeIfAbsent(cluster, name -> {
      byte[] bytes = new byte[18];
      random.nextBytes(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    });
  }

  /** The records of the clusters that changed since they were last written. */
  Map<String, KafkaClusterState> changes(Map<String, KafkaCluster> clusters) {
    Map<String, KafkaClusterState> changes = new LinkedHashMap<>();
    for (KafkaCluster cluster : clusters.values()) {
      if (!cluster.equals(written.get(cluster.name()))) {
        KafkaClusterState state = KafkaStateAvro.avro(cluster, clock.instant());
        state.setJmxSecret(jmxSecret(cluster.name()));
        changes.put(cluster.name(), state);
      }
    }
    // A deleted cluster's record is deleted too: a tombstone, so a restarted framework does not take it up again.
    written.keySet().stream().filter(name -> !clusters.containsKey(name)).forEach(name -> changes.put(name, null));
    return changes;
  }

  /** The records {@link #changes} returned for {@code clusters} are written. */
  void committed(Map<String, KafkaClusterState> changes, Map<String, KafkaCluster> clusters) {
    changes.forEach((name, state) -> {
      if (state == null) {
        written.remove(name);
        jmxSecrets.remove(name); // a new cluster of that name gets a password of its own
      } else {
        written.put(name, clusters.get(name));
      }
    });
  }
}
