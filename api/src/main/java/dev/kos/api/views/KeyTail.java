package dev.kos.api.views;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.KeyPartitioner;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.client.TopicReader;
import dev.kos.bus.serde.MalformedRecordException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The latest records of one key of a log topic (a task's output on {@code kos.logs}, a broker's samples on
 * {@code kos.metrics}), read on request: only the key's partition, and only its last {@code window} records, so a
 * request costs the same however much the cluster logged. The API does not keep these logs in memory.
 */
public final class KeyTail {

  private KeyTail() {
  }

  /** The values with {@code key} among the last {@code window} records of its partition, oldest first. */
  public static <V extends SpecificRecord> List<V> of(ControlBus bus, TopicDef<V> topic, String key, long window) {
    List<V> values = new ArrayList<>();
    try (TopicReader reader = new TopicReader(bus, "kos-api-tail-" + topic.suffix())) {
      int partitions = reader.partitionsOf(topic).size();
      reader.fromLast(List.of(new TopicPartition(bus.topic(topic), KeyPartitioner.partitionOf(key, partitions))),
          window);
      reader.readToEnd(record -> {
        if (key.equals(TopicReader.keyOf(record)) && record.value() != null) {
          try {
            values.add(reader.decode(topic, record));
          } catch (MalformedRecordException e) {
            // passed over, as the views pass over what does not decode
          }
        }
      });
    }
    return values;
  }
}
