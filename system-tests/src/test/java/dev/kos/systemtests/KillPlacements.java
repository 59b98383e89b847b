package dev.kos.systemtests;

import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.TestBus;
import dev.kos.schema.KillTask;
import dev.kos.schema.PlacementEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The kills the allocator placed on kos.placements, read back by a test to check when each went out. */
final class KillPlacements {

  private KillPlacements() {
  }

  /** When the first kill of each task was placed (the record's timestamp), by task id. */
  static Map<String, Long> placedAt(TestBus bus) {
    Map<String, Long> kills = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(bus.bus().consumerProperties(null,
        "test-placements"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      String topic = bus.bus().topic(Topics.PLACEMENTS);
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          PlacementEvent event = bus.bus().serde(Topics.PLACEMENTS).deserialize(topic, record.value());
          if (event.getPayload() instanceof KillTask kill) {
            kills.putIfAbsent(kill.getTaskId(), record.timestamp());
          }
        }
      }
    }
    return kills;
  }
}
