package dev.kos.cli.kafka;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.cli.common.UsageProblem;
import dev.kos.bus.client.CompactedTopic;
import dev.kos.bus.client.TopicReader;
import dev.kos.frameworks.kafka.core.BrokerPhase;
import dev.kos.frameworks.kafka.core.KafkaCluster;
import dev.kos.frameworks.kafka.core.SelfHealing;
import dev.kos.frameworks.kafka.core.Unplaced;
import dev.kos.frameworks.kafka.edge.KafkaStateAvro;
import dev.kos.schema.KafkaClusterState;
import dev.kos.schema.StatusEvent;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * A cluster as the kafka framework last wrote it on {@code kos.kafka-clusters}, with its latest partition
 * reassignment and metadata.version events from {@code kos.status}, and why each broker still waiting for a home
 * is unplaced (its latest {@code BROKER_UNPLACED}, by node id), and why each broker the framework stopped
 * relaunching is stopped (its latest {@code BROKER_GAVE_UP}, by node id).
 */
record KafkaStatus(KafkaCluster cluster, Optional<StatusEvent> reassignment, Optional<StatusEvent> metadata,
    SortedMap<Integer, StatusEvent> unplaced, SortedMap<Integer, StatusEvent> gaveUp) {

  static final String FRAMEWORK = "kafka";

  /** Reads both topics to their end; a cluster the framework never wrote is a usage problem. */
  static KafkaStatus read(ControlBus bus, String name, PrintWriter err) {
    SortedMap<String, KafkaCluster> clusters = clusters(bus, err);
    KafkaCluster cluster = clusters.get(name);
    if (cluster == null) {
      throw new UsageProblem("the kafka framework has no cluster " + name + " on " + bus.topic(Topics.KAFKA_CLUSTERS)
          + (clusters.isEmpty() ? "" : " (it has " + String.join(", ", clusters.keySet()) + ")") + ": `kos kafka "
          + "create " + name + "` creates it");
    }
    StatusEvent[] latest = new StatusEvent[2];
    SortedMap<Integer, StatusEvent> unplaced = new TreeMap<>();
    SortedMap<Integer, StatusEvent> gaveUp = new TreeMap<>();
    try (TopicReader reader = new TopicReader(bus, "kos-cli-kafka")) {
      reader.fromBeginning(reader.partitionsOf(Topics.STATUS));
      reader.readToEnd(record -> {
        if (name.equals(TopicReader.keyOf(record)) && record.value() != null) {
          StatusEvent event = reader.decode(Topics.STATUS, record);
          if (FRAMEWORK.equals(event.getFramework())) {
            latest[0] = event.getKind().startsWith("REASSIGNMENT_") ? event : latest[0];
            latest[1] = event.getKind().startsWith("METADATA_VERSION_") ? event : latest[1];
            Integer nodeId = event.getCounts().get("nodeId");
            if (Unplaced.KIND.equals(event.getKind()) && nodeId != null) {
              unplaced.put(nodeId, event);
            }
            if (SelfHealing.GAVE_UP.equals(event.getKind()) && nodeId != null) {
              gaveUp.put(nodeId, event);
            }
          }
        }
      });
    }
    // A reason holds only while its broker still waits for a home: a placed broker's old reason is history.
    unplaced.keySet().removeIf(nodeId -> cluster.broker(nodeId).map(b -> b.phase() != BrokerPhase.NEW).orElse(true));
    // And only while it is still stopped with its failures: one relaunched since (after a config change) is not.
    gaveUp.keySet().removeIf(nodeId -> cluster.broker(nodeId).map(b -> b.phase() != BrokerPhase.STOPPED
        || b.failures() == 0).orElse(true));
    return new KafkaStatus(cluster, Optional.ofNullable(latest[0]), Optional.ofNullable(latest[1]), unplaced,
        gaveUp);
  }

  /** Every cluster the framework keeps, by name; records that do not decode are reported on {@code err}. */
  static SortedMap<String, KafkaCluster> clusters(ControlBus bus, PrintWriter err) {
    return clusters(CompactedTopic.read(bus, Topics.KAFKA_CLUSTERS), err);
  }

  /** As above, from a view already read (from the bus or the API). */
  static SortedMap<String, KafkaCluster> clusters(CompactedTopic.Latest<KafkaClusterState> latest, PrintWriter err) {
    SortedMap<String, KafkaCluster> clusters = new TreeMap<>();
    // A record without a release was written before upgrades existed, by a framework of this kos's release.
    states(latest, err).forEach((name, state) -> clusters.put(name, KafkaStateAvro.core(state,
        AppInfoParser.getVersion())));
    return clusters;
  }

  /** The framework's records of its clusters, without their JMX passwords: those are the framework's alone. */
  static SortedMap<String, KafkaClusterState> states(ControlBus bus, PrintWriter err) {
    return states(CompactedTopic.read(bus, Topics.KAFKA_CLUSTERS), err);
  }

  /** As above, from a view already read (from the bus or the API). */
  static SortedMap<String, KafkaClusterState> states(CompactedTopic.Latest<KafkaClusterState> latest,
      PrintWriter err) {
    latest.warnIfIncomplete(err);
    SortedMap<String, KafkaClusterState> states = new TreeMap<>();
    latest.byKey().forEach((name, state) -> states.put(name, KafkaClusterState.newBuilder(state).setJmxSecret(null)
        .build()));
    return states;
  }
}
