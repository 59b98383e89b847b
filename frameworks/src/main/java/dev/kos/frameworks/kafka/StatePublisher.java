package dev.kos.frameworks.kafka;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.catalog.Topics;
import dev.kos.frameworks.kafka.core.Action;
import dev.kos.frameworks.kafka.core.Broker;
import dev.kos.frameworks.kafka.core.BrokerPhase;
import dev.kos.frameworks.kafka.core.ClusterText;
import dev.kos.frameworks.kafka.core.KafkaCluster;
import dev.kos.frameworks.kafka.core.Placement;
import dev.kos.frameworks.kafka.core.Unplaced;
import dev.kos.frameworks.kafka.edge.KafkaAvro;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the framework's view on {@code kos.status}: its events, and a {@code BROKER_STATE} record per broker
 * and a {@code CLUSTER_STATE} record per cluster each time one changes, so that whoever follows the topic
 * ({@code kos events}) sees each change as it happens. ({@code kos kafka describe} reads the clusters themselves
 * from {@code kos.kafka-clusters}.) Called with the framework's lock held.
 */
final class StatePublisher {

  static final String BROKER_STATE = "BROKER_STATE";
  static final String CLUSTER_STATE = "CLUSTER_STATE";
  static final String GONE = "GONE";

  private static final Logger log = LoggerFactory.getLogger(StatePublisher.class);

  private final BusPublisher publisher;
  private final String frameworkId;
  private final Clock clock;
  private final Map<String, String> published = new HashMap<>();
  /** The latest reason each unplaced broker was given: a planner that finds it again each round says it once. */
  private final Map<String, String> unplaced = new HashMap<>();

  StatePublisher(BusPublisher publisher, String frameworkId, Clock clock) {
    this.publisher = publisher;
    this.frameworkId = frameworkId;
    this.clock = clock;
  }

  void event(Action.Notice notice, Optional<Broker> broker) {
    if (notice.kind().equals(Unplaced.KIND)
        && notice.message().equals(unplaced.put(KafkaAvro.instanceId(notice.cluster(), notice.nodeId()),
            notice.message()))) {
      return;
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    if (notice.nodeId() != 0) {
      counts.put("nodeId", notice.nodeId());
    }
    send(notice, broker.flatMap(Broker::placement).map(Placement::agentId), broker.flatMap(Broker::taskId), counts);
  }

  void publishChanges(Map<String, KafkaCluster> clusters) {
    Set<String> seen = new HashSet<>();
    for (KafkaCluster cluster : clusters.values()) {
      for (Broker broker : cluster.brokers()) {
        String id = KafkaAvro.instanceId(cluster.name(), broker.nodeId());
        seen.add(id);
        if (broker.phase() != BrokerPhase.NEW) {
          unplaced.remove(id);
        }
        String line = ClusterText.describe(broker);
        if (!line.equals(published.put(id, line))) {
          send(new Action.Notice(cluster.name(), BROKER_STATE, broker.nodeId(), line),
              broker.placement().map(Placement::agentId), broker.taskId(), counts(broker));
        }
      }
      String id = cluster.name();
      seen.add(id);
      String line = ClusterText.describe(cluster);
      if (!line.equals(published.put(id, line))) {
        send(new Action.Notice(cluster.name(), CLUSTER_STATE, 0, line), Optional.empty(), Optional.empty(),
            Map.of("brokers", cluster.members().size(), "configVersion", (int) cluster.configVersion(),
                "healthy", (int) cluster.brokers().stream().filter(Broker::runningHealthy).count()));
      }
    }
    for (String id : Set.copyOf(published.keySet())) {
      if (!seen.contains(id) && id.contains("/broker-")) {
        published.remove(id);
        unplaced.remove(id);
        String cluster = id.substring(0, id.indexOf('/'));
        int nodeId = Integer.parseInt(id.substring(id.indexOf("/broker-") + "/broker-".length()));
        send(new Action.Notice(cluster, BROKER_STATE, nodeId, GONE), Optional.empty(), Optional.empty(),
            Map.of("nodeId", nodeId));
      }
    }
  }

  private static Map<String, Integer> counts(Broker broker) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("nodeId", broker.nodeId());
    counts.put("controller", broker.controller() ? 1 : 0);
    counts.put("configVersion", (int) broker.configVersion());
    counts.put("healthy", broker.runningHealthy() ? 1 : 0);
    broker.placement().ifPresent(p -> counts.put("clientPort", p.clientPort()));
    return counts;
  }

  private void send(Action.Notice notice, Optional<String> agentId, Optional<String> taskId,
      Map<String, Integer> counts) {
    publisher.publishAsync(Topics.STATUS, notice.cluster(), KafkaAvro.notice(notice, frameworkId, agentId,
        taskId, counts, clock.instant()), error -> log.warn("could not publish {} of {}: {}", notice.kind(),
        notice.cluster(), error.toString()));
  }
}
