package dev.kos.bus.consume;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.serde.MalformedRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a keyed view (a compacted topic such as {@code kos.tasks} or {@code kos.apps}) from its
 * beginning to the end offsets of the moment of the call: the latest value per key, tombstones
 * removing the key. This is how a restarted process rebuilds its state and how the CLI lists things.
 */
public final class CompactedTopics {

  private static final Logger log = LoggerFactory.getLogger(CompactedTopics.class);
  private static final Duration LOOKUP = Duration.ofSeconds(30);

  private CompactedTopics() {
  }

  /** The latest value of every key, in the order keys were first seen. */
  public static <V extends SpecificRecord> Map<String, V> readToEnd(ControlBus bus, TopicDef<V> topic) {
    return readToEnd(bus, topic, key -> true);
  }

  /**
   * The latest value of every key that {@code wanted} accepts. A value that does not decode is
   * skipped with a warning (its key keeps the previous value): the dead-letter path belongs to
   * the topic's consumers, not to a reader of the view.
   */
  public static <V extends SpecificRecord> Map<String, V> readToEnd(ControlBus bus, TopicDef<V> topic,
      Predicate<String> wanted) {
    String name = bus.topic(topic);
    Map<String, V> latest = new LinkedHashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(bus.consumerProperties(null, "read-" + name),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = partitionsOf(consumer, name);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key() == null) {
            continue;
          }
          String key = new String(record.key(), StandardCharsets.UTF_8);
          if (!wanted.test(key)) {
            continue;
          }
          if (record.value() == null) {
            latest.remove(key);
            continue;
          }
          try {
            latest.put(key, bus.serde(topic).deserialize(name, record.value()));
          } catch (MalformedRecordException e) {
            log.warn("skipping an undecodable record of {} at {}-{}@{}: {}", key, name, record.partition(),
                record.offset(), e.getMessage());
          }
        }
      }
    }
    return latest;
  }

  /** Every partition of {@code topic}; a missing topic is an error that says who creates it. */
  public static List<TopicPartition> partitionsOf(Consumer<?, ?> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, LOOKUP);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " does not exist; the topic bootstrap (kos up) creates it");
    }
    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
  }
}
