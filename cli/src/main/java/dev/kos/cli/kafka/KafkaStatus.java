package dev.kos.cli.kafka;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.cli.UsageProblem;
import dev.kos.cli.results.TopicReader;
import dev.kos.schema.StatusEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A cluster as the kafka framework last published it on {@code kos.status}: the latest {@code CLUSTER_STATE},
 * the latest {@code BROKER_STATE} of each broker still there, and the latest reassignment event.
 */
record KafkaStatus(StatusEvent cluster, SortedMap<Integer, StatusEvent> brokers, Optional<StatusEvent> reassignment) {

  static final String FRAMEWORK = "kafka";
  private static final String BOOTSTRAP = ", bootstrap ";

  /** Reads the status topic to its end; a cluster the framework never reported is a usage problem. */
  static KafkaStatus read(ControlBus bus, String name) {
    List<StatusEvent> events = new ArrayList<>();
    try (TopicReader reader = new TopicReader(bus, "kos-cli-kafka")) {
      reader.fromBeginning(reader.partitionsOf(Topics.STATUS));
      reader.readToEnd(record -> {
        if (name.equals(TopicReader.keyOf(record)) && record.value() != null) {
          StatusEvent event = reader.decode(Topics.STATUS, record);
          if (FRAMEWORK.equals(event.getFramework())) {
            events.add(event);
          }
        }
      });
    }
    StatusEvent cluster = null;
    SortedMap<Integer, StatusEvent> brokers = new TreeMap<>();
    StatusEvent reassignment = null;
    for (StatusEvent event : events) {
      switch (event.getKind()) {
        case "CLUSTER_STATE" -> cluster = event;
        case "BROKER_STATE" -> {
          int nodeId = event.getCounts().get("nodeId");
          if ("GONE".equals(event.getMessage())) {
            brokers.remove(nodeId);
          } else {
            brokers.put(nodeId, event);
          }
        }
        default -> reassignment = event.getKind().startsWith("REASSIGNMENT_") ? event : reassignment;
      }
    }
    if (cluster == null) {
      throw new UsageProblem("the kafka framework has reported no cluster " + name + " on "
          + bus.topic(Topics.STATUS) + ": `kos kafka create " + name + "` creates it");
    }
    return new KafkaStatus(cluster, brokers, Optional.ofNullable(reassignment));
  }

  /** The client endpoints of the placed brokers, comma-separated. */
  String bootstrapServers() {
    String message = cluster.getMessage();
    int at = message.indexOf(BOOTSTRAP);
    return at < 0 ? "" : message.substring(at + BOOTSTRAP.length());
  }
}
